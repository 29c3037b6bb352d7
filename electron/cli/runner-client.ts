/**
 * How CLI commands reach a running runner: its URL (HANGAR_URL, else settings) and API key
 * (HANGAR_API_KEY, else the first key in HANGAR_API_KEY_FILE, else the first configured key).
 */
import { hangarHome } from "../runner/paths.ts";
import { loadUsableSettings } from "../runner/settings/settings-file.ts";
import { readApiKeyFile } from "../runner/settings/settings.ts";

export interface RunnerClient {
  url: string;
  /** The API key requests carry, when one is configured. */
  key?: string;
  request(path: string, init?: RequestInit): Promise<Response>;
  /** JSON request; throws with the server's message on an error status. */
  json<T>(path: string, init?: RequestInit): Promise<T>;
}

export async function runnerClient(env: NodeJS.ProcessEnv = process.env): Promise<RunnerClient> {
  let url = env.HANGAR_URL?.replace(/\/+$/, "");
  let key =
    env.HANGAR_API_KEY || readApiKeyFile(env.HANGAR_API_KEY_FILE || undefined, "HANGAR_API_KEY_FILE")[0];
  if (!url || !key) {
    const { settings } = await loadUsableSettings(hangarHome(env), {}, env);
    const host = ["0.0.0.0", "::"].includes(settings.host) ? "127.0.0.1" : settings.host;
    url ??= `http://${host.includes(":") ? `[${host}]` : host}:${settings.port}`;
    key ??= settings.apiKeys[0];
  }
  const base = url;
  const request = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (key) headers.set("authorization", `Bearer ${key}`);
    if (init.body !== undefined && !headers.has("content-type"))
      headers.set("content-type", "application/json");
    try {
      return await fetch(`${base}${path}`, { ...init, headers });
    } catch (error) {
      throw new Error(
        `cannot reach the Hangar runner at ${base} (start it with \`hangar serve\`, or set HANGAR_URL)`,
        {
          cause: error,
        },
      );
    }
  };
  return {
    url: base,
    ...(key ? { key } : {}),
    request,
    async json<T>(path: string, init?: RequestInit): Promise<T> {
      const res = await request(path, init);
      const text = await res.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = text;
      }
      if (!res.ok) {
        const e = (body as { error?: string | { message?: string } } | null)?.error;
        throw new Error(typeof e === "string" ? e : (e?.message ?? `${res.status} ${res.statusText}`));
      }
      return body as T;
    },
  };
}

/** Reads NDJSON or SSE lines from a streamed response body. */
export async function* lines(res: Response, signal?: AbortSignal): AsyncGenerator<string> {
  if (!res.body) return;
  const decoder = new TextDecoder();
  let buffer = "";
  const reader = res.body.getReader();
  try {
    while (!signal?.aborted) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let i: number;
      while ((i = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        if (line.trim()) yield line;
      }
    }
    if (buffer.trim()) yield buffer;
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
