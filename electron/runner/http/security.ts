/**
 * Browser safety for the HTTP API: which origins may call it (CORS allowlist), which Host headers it
 * answers (DNS rebinding), and whether the listening address needs API keys.
 */
import type { IncomingMessage } from "node:http";
import { timingSafeEqual } from "node:crypto";
import { isLoopbackAddress } from "../../contract/settings.ts";

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export { isLoopbackAddress };

/** Splits a Host header into name and port ("[::1]:80" → "[::1]", "80"). */
function splitHost(host: string): { name: string; port: string | null } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host.trim().toLowerCase());
  return m ? { name: m[1]!, port: m[2] ?? null } : { name: host.toLowerCase(), port: null };
}

export interface AccessPolicyOptions {
  /** The address the server listens on. */
  listenHost: string;
  /** Configured origins: exact ("https://app.example.com"), wildcard subdomain ("https://*.example.com"), any port ("http://host:*"), or "*". */
  corsOrigins: string[];
  apiKeys: string[];
  /** Host names accepted in the Host header besides loopback names (and the listen address). */
  allowedHosts: string[];
}

export type OriginVerdict =
  /** No Origin header: not a cross-origin browser request. */
  | "none"
  /** Loopback, the app's own origin, or an explicit allowlist entry. */
  | "trusted"
  /** Allowed only because "*" is configured: inference yes, model management no. */
  | "wildcard"
  /** A desktop app or editor page (app://, file://, tauri://, vscode-webview://): inference only, as Ollama allows. */
  | "desktop"
  | "denied";

/**
 * Pages of desktop apps and editor webviews. Ollama allows these by default; they may run inference but
 * never manage models or settings (an app that needs that lists its origin in "corsOrigins").
 */
const DESKTOP_SCHEMES = new Set(["app:", "file:", "tauri:", "vscode-webview:", "vscode-file:"]);

/** Verdicts that may call inference routes but not management routes or the app's bridge. */
export const inferenceOnly = (verdict: OriginVerdict): boolean =>
  verdict === "wildcard" || verdict === "desktop";

function matchOrigin(origin: string, pattern: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  // "chrome-extension://*": every origin of a non-web scheme (browser extensions have random ids).
  const anyHost = /^([a-z][a-z0-9+.-]*):\/\/\*$/i.exec(pattern);
  if (anyHost) return !/^https?$/i.test(anyHost[1]!) && url.protocol === `${anyHost[1]!.toLowerCase()}:`;
  const m = /^([a-z][a-z0-9+.-]*):\/\/(\*\.)?([^/:]+)(?::(\d+|\*))?$/i.exec(pattern);
  if (!m) return false;
  const [, scheme, star, host, port] = m;
  if (url.protocol !== `${scheme!.toLowerCase()}:`) return false;
  const name = url.hostname.toLowerCase();
  const want = host!.toLowerCase();
  if (star ? !(name.endsWith(`.${want}`) && name.length > want.length + 1) : name !== want) return false;
  if (port === "*") return true;
  const defaultPort = url.protocol === "https:" ? "443" : "80";
  return (url.port || defaultPort) === (port ?? defaultPort);
}

export class AccessPolicy {
  private readonly keys: Buffer[];
  constructor(readonly options: AccessPolicyOptions) {
    this.keys = options.apiKeys.map((k) => Buffer.from(k));
  }

  /** Whether this listen address needs API keys (anything beyond loopback). */
  get requiresKey(): boolean {
    return !isLoopbackAddress(this.options.listenHost);
  }

  /** Throws when the configuration would expose the API without a key. */
  assertSafeToListen(): void {
    if (this.requiresKey && this.options.apiKeys.length === 0)
      throw new Error(
        `refusing to listen on ${this.options.listenHost} without an API key: anyone on the network could use it. ` +
          `Set one with --api-key, --api-key-file, HANGAR_API_KEYS, HANGAR_API_KEYS_FILE or "apiKeys" in settings.json, or listen on 127.0.0.1.`,
      );
  }

  /** Host header check against DNS rebinding: loopback names, the listen address, configured hosts. */
  hostAllowed(hostHeader: string | undefined): boolean {
    if (!hostHeader) return false;
    const { name } = splitHost(hostHeader);
    if (LOOPBACK_NAMES.has(name) || isLoopbackAddress(name)) return true;
    const listen = this.options.listenHost.toLowerCase();
    if (name === listen || name === `[${listen}]`) return true;
    if (this.options.allowedHosts.some((h) => h === "*" || h === name)) return true;
    // Listening on every interface: the machine's own IP literals are fine (a rebinding attack needs a name).
    if (listen === "0.0.0.0" || listen === "::") return /^\d+\.\d+\.\d+\.\d+$|^\[[0-9a-f:.]+\]$/.test(name);
    return false;
  }

  originVerdict(origin: string | undefined, hostHeader: string | undefined): OriginVerdict {
    if (origin === undefined) return "none";
    const o = origin.toLowerCase();
    let url: URL | null;
    try {
      url = new URL(o);
    } catch {
      url = null;
    }
    if (url && (url.protocol === "http:" || url.protocol === "https:")) {
      if (isLoopbackAddress(url.hostname)) return "trusted";
      // The app's own pages served by this runner (browser mode), reached under an accepted Host.
      if (hostHeader && url.host === hostHeader.toLowerCase() && this.hostAllowed(hostHeader))
        return "trusted";
    }
    for (const pattern of this.options.corsOrigins)
      if (pattern !== "*" && matchOrigin(o, pattern)) return "trusted";
    if (url && DESKTOP_SCHEMES.has(url.protocol)) return "desktop";
    if (this.options.corsOrigins.includes("*")) return "wildcard";
    return "denied";
  }

  /** Bearer key check (or Anthropic's `x-api-key` where `apiKeyHeader`); true when no key is needed. */
  keyAccepted(req: IncomingMessage, apiKeyHeader = false): boolean {
    const m = /^Bearer\s+(.+)$/i.exec((req.headers.authorization ?? "").trim());
    const xApiKey = apiKeyHeader ? req.headers["x-api-key"] : undefined;
    return this.offeredKeysAccepted(m ? [m[1]!.trim()] : typeof xApiKey === "string" ? [xApiKey.trim()] : []);
  }

  /** Whether one of the keys a client offers is configured; true when no key is needed. */
  offeredKeysAccepted(offered: string[]): boolean {
    if (this.keys.length === 0) return !this.requiresKey;
    return offered.some((key) => {
      const given = Buffer.from(key);
      return this.keys.some((k) => k.length === given.length && timingSafeEqual(k, given));
    });
  }
}

const ALLOWED_HEADERS =
  "authorization, content-type, x-requested-with, openai-organization, openai-project, x-stainless-*, x-api-key, anthropic-version, anthropic-beta, anthropic-dangerous-direct-browser-access";

/** CORS headers for an allowed origin (also used on preflights). */
export function corsHeaders(
  origin: string,
  req: IncomingMessage,
  preflight: boolean,
): Record<string, string> {
  const headers: Record<string, string> = {
    "access-control-allow-origin": origin,
    vary: "Origin",
    "access-control-expose-headers": "retry-after, x-request-id",
  };
  if (preflight) {
    headers["access-control-allow-methods"] = "GET, POST, PUT, DELETE, OPTIONS";
    const asked = req.headers["access-control-request-headers"];
    headers["access-control-allow-headers"] = typeof asked === "string" && asked ? asked : ALLOWED_HEADERS;
    headers["access-control-max-age"] = "600";
    if (req.headers["access-control-request-private-network"] === "true")
      headers["access-control-allow-private-network"] = "true";
  }
  return headers;
}
