/** URL rules of the desktop shell, kept free of Electron so they are unit-tested in plain Node. */

/**
 * The links the app shows lead to public https pages (model cards, registries, links in chat answers):
 * only such a URL leaves the app, and only to the system browser. No credentials in it, no IP literal or
 * local name (a link must not drive the browser at a router or a service on this machine), no giant URL.
 */
export function isSafeExternalUrl(url: string): boolean {
  if (url.length > 2048) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== "https:" || parsed.username || parsed.password || parsed.port) return false;
  const host = parsed.hostname.toLowerCase();
  if (host.startsWith("[") || /^[\d.]+$/.test(host)) return false;
  if (!host.includes(".") || /\.(local|localhost|internal|lan|home|arpa)$/.test(host)) return false;
  return true;
}

/** Whether a frame URL is the app's page: the bundled index.html, whatever the hash or query. */
export function isAppFrameUrl(frameUrl: string | undefined, appUrl: string): boolean {
  if (!frameUrl) return false;
  try {
    const frame = new URL(frameUrl);
    const app = new URL(appUrl);
    return frame.protocol === app.protocol && frame.host === app.host && frame.pathname === app.pathname;
  } catch {
    return false;
  }
}
