/**
 * How Hangar talks to a Hugging Face endpoint: `HF_ENDPOINT` (default https://huggingface.co) and
 * `HF_TOKEN` (Bearer). The token goes to the endpoint's origin only: redirects are followed by hand and
 * a hop to any other origin (the CDN that serves LFS files) is made without Authorization.
 */

export const DEFAULT_HF_ENDPOINT = "https://huggingface.co";

export interface HfClientOptions {
  /** Base URL of the Hub, e.g. "https://huggingface.co" or a mirror; no trailing slash needed. */
  endpoint?: string;
  token?: string | null;
  fetch?: typeof fetch;
}

export interface HfClient {
  endpoint: string;
  token: string | null;
  fetch: typeof fetch;
}

export function hfClient(opts: HfClientOptions = {}): HfClient {
  const endpoint = (opts.endpoint || DEFAULT_HF_ENDPOINT).replace(/\/+$/, "");
  let parsed: URL;
  try {
    parsed = new URL(endpoint);
  } catch {
    throw new Error(`HF_ENDPOINT "${endpoint}" is not a URL (expected e.g. https://huggingface.co)`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new Error(`HF_ENDPOINT "${endpoint}" must be an http(s) URL`);
  }
  return { endpoint, token: opts.token || null, fetch: opts.fetch ?? fetch };
}

/** Endpoint and token from the environment, as the Hugging Face tools read them. */
export function hfClientFromEnv(env: NodeJS.ProcessEnv = process.env, fetchImpl?: typeof fetch): HfClient {
  return hfClient({ endpoint: env.HF_ENDPOINT, token: env.HF_TOKEN, fetch: fetchImpl });
}

const HUB_HOSTS = new Set(["hf.co", "huggingface.co", "www.huggingface.co"]);

/**
 * Rewrites an `hf.co/...` or `https://huggingface.co/...` address onto the configured endpoint, so a
 * mirror set in HF_ENDPOINT is used and the token is not lost on hf.co's redirect to huggingface.co.
 */
export function toEndpointUrl(client: HfClient, address: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(address) ? address : `https://${address}`;
  const url = new URL(withScheme);
  if (!HUB_HOSTS.has(url.hostname.toLowerCase())) return address;
  return `${client.endpoint}${url.pathname}${url.search}`;
}

/** Authorization for requests to the endpoint, for callers that download resolved files themselves. */
export function authHeaders(client: HfClient): Record<string, string> {
  return client.token ? { Authorization: `Bearer ${client.token}` } : {};
}

const MAX_REDIRECTS = 10;

/** fetch with the endpoint's token on same-origin requests only, following redirects by hand. */
export async function hfFetch(client: HfClient, url: string, init: RequestInit = {}): Promise<Response> {
  const endpointOrigin = new URL(client.endpoint).origin;
  let current = new URL(url);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const headers = new Headers(init.headers);
    headers.delete("authorization");
    if (current.origin === endpointOrigin && client.token)
      headers.set("Authorization", `Bearer ${client.token}`);
    const response = await client.fetch(current.href, { ...init, headers, redirect: "manual" });
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      current = new URL(location, current);
      continue;
    }
    return response;
  }
  throw new Error(`too many redirects fetching ${url}`);
}

/** A fetch function with hfFetch's token rules, for libraries that take one (e.g. @huggingface/gguf). */
export function hfFetchFunction(client: HfClient): typeof fetch {
  return ((input: RequestInfo | URL, init?: RequestInit) =>
    hfFetch(client, input instanceof Request ? input.url : String(input), init)) as typeof fetch;
}
