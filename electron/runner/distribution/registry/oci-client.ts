/**
 * A client for the OCI distribution API (opencontainers/distribution-spec): manifests, blobs (with Range
 * and CDN redirects), uploads with cross-repository mounts, and the auth dance: anonymous, Basic, or a
 * Bearer token fetched from the realm a 401's WWW-Authenticate names.
 */
import { MANIFEST_ACCEPT } from "../../artifact/media-types.ts";
import { MAX_DOCUMENT_BYTES } from "../../artifact/manifest.ts";
import { apiHost } from "../../artifact/reference.ts";
import { loadCredentials } from "./credentials.ts";
import type { Credentials } from "./credentials.ts";
import { sha256Digest } from "../../store/blob-store.ts";

export type RegistryErrorCode = "not_found" | "unauthorized" | "denied" | "registry_error" | "unreachable";

export class RegistryError extends Error {
  constructor(
    readonly code: RegistryErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "RegistryError";
  }
}

export interface OciClientOptions {
  /** Registry host[:port] ("docker.io" is mapped to its API host). */
  registry: string;
  fetch?: typeof fetch;
  env?: NodeJS.ProcessEnv;
  /** Explicit credentials; by default they come from Hangar's credentials file or ~/.docker/config.json. */
  credentials?: Credentials | null;
}

/** The body as text, refused once it passes `max` bytes (declared or received). */
async function readCapped(res: Response, max: number, what: string): Promise<string> {
  const tooBig = () =>
    new RegistryError("registry_error", `${what} is larger than ${max} bytes; Hangar refuses it`);
  if (Number(res.headers.get("content-length") ?? 0) > max) {
    await res.body?.cancel();
    throw tooBig();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of (res.body ?? []) as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > max) {
      await res.body?.cancel().catch(() => {});
      throw tooBig();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Plain HTTP for loopback registries (as Docker does) and for hosts listed in HANGAR_INSECURE_REGISTRIES. */
export function registryScheme(host: string, env: NodeJS.ProcessEnv = process.env): "http" | "https" {
  const bare = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:\d+$/, "");
  if (bare === "localhost" || /^127\.\d+\.\d+\.\d+$/.test(bare) || bare === "[::1]") return "http";
  const insecure = (env.HANGAR_INSECURE_REGISTRIES ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  return insecure.includes(host.toLowerCase()) || insecure.includes(bare.toLowerCase()) ? "http" : "https";
}

/** Parses `Bearer realm="…",service="…",scope="…"` (quoted values may hold commas). */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const m = /^\s*(\w+)\s*(.*)$/.exec(header);
  if (!m) return { scheme: "", params: {} };
  const params: Record<string, string> = {};
  for (const p of m[2]!.matchAll(/(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g))
    params[p[1]!.toLowerCase()] = p[2] ?? p[3] ?? "";
  return { scheme: m[1]!.toLowerCase(), params };
}

async function errorDetail(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  try {
    const errors = (JSON.parse(text) as { errors?: { code?: string; message?: string }[] }).errors ?? [];
    if (errors.length) return errors.map((e) => [e.code, e.message].filter(Boolean).join(": ")).join("; ");
  } catch {
    // not JSON
  }
  return text.slice(0, 200).trim();
}

export class OciClient {
  readonly registry: string;
  readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly env: NodeJS.ProcessEnv;
  private credentials: Credentials | null | undefined;
  /** Authorization header value per scope ("" = not scoped). */
  private readonly authByScope = new Map<string, string>();

  constructor(options: OciClientOptions) {
    this.registry = options.registry;
    this.env = options.env ?? process.env;
    const host = apiHost(options.registry);
    this.baseUrl = `${registryScheme(host, this.env)}://${host}`;
    this.fetchImpl = options.fetch ?? fetch;
    this.credentials = options.credentials;
  }

  private async creds(): Promise<Credentials | null> {
    if (this.credentials === undefined) this.credentials = await loadCredentials(this.registry, this.env);
    return this.credentials;
  }

  /**
   * Sends a request with whatever authorization the scope needs, answering one 401 challenge, and follows
   * redirects itself so Authorization never goes to another host (CDNs get signed URLs instead).
   */
  async request(
    method: string,
    path: string,
    init: {
      scope?: string;
      headers?: Record<string, string>;
      body?: BodyInit;
      signal?: AbortSignal;
      what?: string;
      /** Overrides the client's fetch for this request (blob bodies). */
      fetch?: typeof fetch;
    } = {},
  ): Promise<Response> {
    const scope = init.scope ?? "";
    const what = init.what ?? `${this.registry}${path}`;
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { ...init.headers };
      const auth = this.authByScope.get(scope);
      if (auth) headers.authorization = auth;
      let url = new URL(path, this.baseUrl);
      let res: Response;
      for (let hops = 0; ; hops++) {
        try {
          res = await (init.fetch ?? this.fetchImpl)(url, {
            method,
            headers,
            body: init.body,
            redirect: "manual",
            signal: init.signal,
            duplex: init.body ? "half" : undefined,
          } as RequestInit);
        } catch (err) {
          if ((err as Error).name === "AbortError") throw err;
          throw new RegistryError(
            "unreachable",
            `cannot reach ${this.baseUrl} (${(err as Error).cause ?? (err as Error).message})`,
          );
        }
        const location = res.headers.get("location");
        if (res.status < 300 || res.status >= 400 || !location || res.status === 304) break;
        if (hops >= 5) throw new RegistryError("registry_error", `${what}: too many redirects`);
        await res.body?.cancel();
        const next = new URL(location, url);
        if (next.origin !== url.origin) delete headers.authorization;
        url = next;
      }
      if (res.status !== 401 || attempt > 0) return res;
      const challenge = parseChallenge(res.headers.get("www-authenticate") ?? "");
      await res.body?.cancel();
      const authorization = await this.authorize(challenge, scope, what);
      if (!authorization) return this.unauthorized(what);
      this.authByScope.set(scope, authorization);
    }
  }

  private async unauthorized(what: string): Promise<never> {
    const has = await this.creds();
    throw new RegistryError(
      "unauthorized",
      `${what}: authentication required${has ? " and the stored credentials were refused" : `; run: hangar login ${this.registry}`}`,
      401,
    );
  }

  private async authorize(
    challenge: { scheme: string; params: Record<string, string> },
    scope: string,
    what: string,
  ) {
    const creds = await this.creds();
    const basic = creds
      ? "Basic " + Buffer.from(`${creds.username}:${creds.password}`).toString("base64")
      : null;
    if (challenge.scheme === "basic") return basic;
    if (challenge.scheme !== "bearer" || !challenge.params.realm)
      throw new RegistryError(
        "registry_error",
        `${what}: unsupported authentication challenge "${challenge.scheme}"`,
      );
    const realm = new URL(challenge.params.realm);
    if (challenge.params.service) realm.searchParams.set("service", challenge.params.service);
    const wanted = scope || challenge.params.scope;
    if (wanted) realm.searchParams.set("scope", wanted);
    const res = await this.fetchImpl(realm, { headers: basic ? { authorization: basic } : {} }).catch(
      (err: Error) => {
        throw new RegistryError(
          "unreachable",
          `cannot reach the token service ${realm.origin} (${err.message})`,
        );
      },
    );
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      return this.unauthorized(what);
    }
    if (!res.ok)
      throw new RegistryError(
        "registry_error",
        `${what}: token service answered HTTP ${res.status}: ${await errorDetail(res)}`,
      );
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryError("registry_error", `${what}: the token service returned no token`);
    return `Bearer ${token}`;
  }

  private async fail(res: Response, what: string): Promise<never> {
    const detail = await errorDetail(res);
    const suffix = detail ? ` (${detail})` : "";
    if (res.status === 404) throw new RegistryError("not_found", `${what}: not found${suffix}`, 404);
    if (res.status === 403) throw new RegistryError("denied", `${what}: access denied${suffix}`, 403);
    if (res.status === 401) return this.unauthorized(what);
    throw new RegistryError("registry_error", `${what}: HTTP ${res.status}${suffix}`, res.status);
  }

  private scope(repo: string, push = false): string {
    return `repository:${repo}:${push ? "pull,push" : "pull"}`;
  }

  /** Fetches a manifest or index; returns its exact bytes (digests are over bytes, not parsed JSON). */
  async getManifest(
    repo: string,
    reference: string,
    signal?: AbortSignal,
  ): Promise<{ text: string; mediaType: string; digest: string }> {
    const what = `${this.registry}/${repo}:${reference}`.replace(/:sha256:/, "@sha256:");
    const res = await this.request("GET", `/v2/${repo}/manifests/${reference}`, {
      scope: this.scope(repo),
      headers: { accept: MANIFEST_ACCEPT },
      signal,
      what,
    });
    if (!res.ok) return this.fail(res, what);
    const text = await readCapped(res, MAX_DOCUMENT_BYTES, `${what}: the manifest`);
    const digest = sha256Digest(text);
    if (reference.startsWith("sha256:") && digest !== reference)
      throw new RegistryError(
        "registry_error",
        `${what}: the registry sent a manifest whose digest is ${digest}`,
      );
    let mediaType = (res.headers.get("content-type") ?? "").split(";")[0]!.trim();
    try {
      mediaType = (JSON.parse(text) as { mediaType?: string }).mediaType ?? mediaType;
    } catch {
      throw new RegistryError("registry_error", `${what}: the manifest is not JSON`);
    }
    return { text, mediaType, digest };
  }

  /** GET of a blob, optionally a byte range; the caller checks status and Content-Range. */
  async getBlob(
    repo: string,
    digest: string,
    init: { range?: string; signal?: AbortSignal; ifRange?: string; fetch?: typeof fetch } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {};
    if (init.range) headers.range = init.range;
    if (init.ifRange) headers["if-range"] = init.ifRange;
    const what = `${this.registry}/${repo}@${digest}`;
    const res = await this.request("GET", `/v2/${repo}/blobs/${digest}`, {
      scope: this.scope(repo),
      headers,
      signal: init.signal,
      what,
      fetch: init.fetch,
    });
    if (res.ok || res.status === 416) return res;
    return this.fail(res, what);
  }

  async blobExists(repo: string, digest: string, push = false): Promise<boolean> {
    const res = await this.request("HEAD", `/v2/${repo}/blobs/${digest}`, { scope: this.scope(repo, push) });
    await res.body?.cancel();
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    return this.fail(res, `${this.registry}/${repo}@${digest}`);
  }

  /**
   * Uploads a blob unless the registry has it; tries a cross-repository mount from `mountFrom` first.
   * Returns how it got there.
   */
  async pushBlob(
    repo: string,
    blob: { digest: string; size: number; body: () => BodyInit },
    options: { mountFrom?: string; signal?: AbortSignal } = {},
  ): Promise<"exists" | "mounted" | "uploaded"> {
    if (await this.blobExists(repo, blob.digest, true)) return "exists";
    const scope = options.mountFrom
      ? `${this.scope(repo, true)} repository:${options.mountFrom}:pull`
      : this.scope(repo, true);
    const what = `${this.registry}/${repo}@${blob.digest}`;
    const query = options.mountFrom
      ? `?mount=${blob.digest}&from=${encodeURIComponent(options.mountFrom)}`
      : "";
    const start = await this.request("POST", `/v2/${repo}/blobs/uploads/${query}`, {
      scope,
      signal: options.signal,
      what,
    });
    if (start.status === 201) {
      await start.body?.cancel();
      return "mounted";
    }
    if (start.status !== 202) return this.fail(start, what);
    await start.body?.cancel();
    const location = start.headers.get("location");
    if (!location) throw new RegistryError("registry_error", `${what}: upload started without a Location`);
    const url = new URL(location, this.baseUrl);
    url.searchParams.set("digest", blob.digest);
    const put = await this.request("PUT", url.pathname + url.search, {
      scope,
      headers: { "content-type": "application/octet-stream", "content-length": String(blob.size) },
      body: blob.body(),
      signal: options.signal,
      what,
    });
    if (put.status !== 201) return this.fail(put, what);
    await put.body?.cancel();
    return "uploaded";
  }

  async putManifest(repo: string, reference: string, text: string, mediaType: string): Promise<string> {
    const what = `${this.registry}/${repo}:${reference}`;
    const res = await this.request("PUT", `/v2/${repo}/manifests/${reference}`, {
      scope: this.scope(repo, true),
      headers: { "content-type": mediaType },
      body: text,
      what,
    });
    if (res.status !== 201 && res.status !== 200) return this.fail(res, what);
    await res.body?.cancel();
    return res.headers.get("docker-content-digest") ?? sha256Digest(text);
  }
}
