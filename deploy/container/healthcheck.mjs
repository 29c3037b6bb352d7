// The image's HEALTHCHECK: exits 0 when the runner in this container answers GET /health.
// Node has no curl in a slim image, and fetch needs no dependency.
const port = process.env.HANGAR_PORT || "11987";
try {
  const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(4000) });
  process.exit(res.ok ? 0 : 1);
} catch {
  process.exit(1);
}
