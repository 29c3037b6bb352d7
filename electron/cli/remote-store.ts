/**
 * Store commands on a runner elsewhere: with HANGAR_URL (or `--url`), `hangar pull/ls/rm/tag/push/df`
 * act on that runner's store over its HTTP API, with the same output as on this computer's store.
 */
import type { InstalledModel } from "../runner/models.ts";
import type { PushResult } from "../runner/distribution/push-model.ts";
import { lines, runnerClient, type RunnerClient } from "./runner-client.ts";

/** The runner the CLI acts on, when one was named; otherwise commands use this computer's store. */
export function remoteRunnerUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.HANGAR_URL?.trim() || undefined;
}

/** For commands that read or write files on this computer: refuses clearly instead of doing it locally. */
export function refuseRemote(command: string, why: string, env: NodeJS.ProcessEnv = process.env): void {
  const url = remoteRunnerUrl(env);
  if (url)
    throw new Error(
      `${command} works on this computer's store only (${why}); HANGAR_URL names ${url}: unset it`,
    );
}

/** Commands that read or write files on this computer, and why they cannot act on a remote runner. */
export const LOCAL_ONLY_COMMANDS: Record<string, string> = {
  import: "it adopts a GGUF file from this computer",
  package: "it packages files from this computer",
  inspect: "it reads the model's files",
  fsck: "it re-hashes the store's files",
  login: "registry credentials are kept where the pulls run; log in on the runner's machine",
  logout: "registry credentials are kept where the pulls run",
  adopt: "it copies models other tools keep on this computer",
  export: "it writes into Ollama's folder on this computer",
};

/** Takes `--url URL` or `--url=URL` out of the arguments (up to a `--`). */
export function takeUrlOption(args: string[]): { argv: string[]; url: string | undefined } {
  const argv: string[] = [];
  let url: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      argv.push(...args.slice(i));
      break;
    }
    if (arg === "--url") {
      url = args[++i];
      if (url === undefined || url.startsWith("-"))
        throw new Error("--url needs a URL, e.g. --url http://host:11987");
    } else if (arg.startsWith("--url=")) url = arg.slice("--url=".length);
    else argv.push(arg);
  }
  if (url !== undefined && !/^https?:\/\/[^/\s]+/i.test(url))
    throw new Error(`--url must be an http(s) URL such as http://host:11987 (got ${JSON.stringify(url)})`);
  return { argv, url };
}

/** Reads an NDJSON answer of store-routes: progress lines, then `{done}` or `{error}`. */
async function streamed<T>(
  client: RunnerClient,
  path: string,
  body: unknown,
  onLine: (line: Record<string, unknown>) => void,
  signal?: AbortSignal,
): Promise<T> {
  const res = await client.request(path, { method: "POST", body: JSON.stringify(body), signal });
  if (!res.ok) {
    const text = await res.text();
    let message = `${res.status} ${res.statusText}`;
    try {
      const e = (JSON.parse(text) as { error?: string | { message?: string } }).error;
      message = typeof e === "string" ? e : (e?.message ?? message);
    } catch {
      // not JSON: keep the status line
    }
    throw new Error(message);
  }
  for await (const text of lines(res, signal)) {
    const line = JSON.parse(text) as Record<string, unknown>;
    if ("done" in line) return line.done as T;
    if ("error" in line) throw new Error((line.error as { message: string }).message);
    onLine(line);
  }
  throw new Error(`the runner at ${client.url} closed the stream before it finished`);
}

export interface RemoteStore {
  url: string;
  list(): Promise<InstalledModel[]>;
  push(
    ref: string,
    target: string | undefined,
    onBlob: (digest: string, outcome: string) => void,
  ): Promise<PushResult>;
  remove(ref: string): Promise<void>;
  tag(source: string, target: string): Promise<void>;
  usage(): Promise<{
    models: number;
    blobs: number;
    blobBytes: number;
    modelBytes: number;
    partialBytes: number;
  }>;
}

export async function openRemoteStore(env: NodeJS.ProcessEnv = process.env): Promise<RemoteStore> {
  const client = await runnerClient(env);
  return {
    url: client.url,
    list: () => client.json<InstalledModel[]>("/hangar/models"),
    push: (ref, target, onBlob) =>
      streamed<PushResult>(client, "/hangar/push", { model: ref, ...(target ? { to: target } : {}) }, (l) => {
        const blob = l.blob as { digest: string; outcome: string };
        onBlob(blob.digest, blob.outcome);
      }),
    async remove(ref) {
      await client.json("/api/delete", { method: "DELETE", body: JSON.stringify({ model: ref }) });
    },
    async tag(source, target) {
      await client.json("/api/copy", {
        method: "POST",
        body: JSON.stringify({ source, destination: target }),
      });
    },
    usage: () => client.json("/hangar/store/usage"),
  };
}
