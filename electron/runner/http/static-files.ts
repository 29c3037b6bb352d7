import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};

/** Serves the built renderer; unknown paths fall back to index.html so the app's routes work on reload. */
export async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const url = new URL(req.url ?? "/", "http://x");
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return false; // a malformed escape names no file: the caller answers 404
  }
  const rel = normalize(path).replace(/^([/\\])+/, "");
  let file = join(root, rel);
  if (!file.startsWith(root + sep) && file !== root) return false;
  let info = await stat(file).catch(() => null);
  if (!info || info.isDirectory()) {
    file = join(root, "index.html");
    info = await stat(file).catch(() => null);
    if (!info) return false;
  }
  res.writeHead(200, {
    "content-type": TYPES[extname(file)] ?? "application/octet-stream",
    "content-length": info.size,
    "cache-control": file.endsWith("index.html") ? "no-cache" : "public, max-age=31536000, immutable",
    "x-content-type-options": "nosniff",
    "content-security-policy": contentSecurityPolicy(),
  });
  if (req.method === "HEAD") res.end();
  else createReadStream(file).pipe(res);
  return true;
}

/**
 * The page may connect to the runner that served it and nowhere else: 'self' covers its HTTP API and,
 * in CSP 3 browsers, the same origin's ws:/wss: (the bridge). Scripts come from the runner only.
 */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}
