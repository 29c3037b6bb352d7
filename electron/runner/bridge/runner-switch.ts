/**
 * The desktop app's choice of runner: the one it hosts, or a remote runner reached over its WebSocket
 * bridge with a key. Calls and streams go to the chosen one; `connection.*` is answered here. The
 * choice is kept in $HANGAR_HOME/connection.json (mode 0600: it holds the key).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import WebSocket from "ws";
import type { RunnerConnection } from "../../contract/connection.ts";
import { connectionChoice } from "../../contract/connection.ts";
import type { AnyStreamEvent, Dispatcher } from "./dispatcher.ts";
import { WsBridge, type ConnectionState } from "../../contract/ws-bridge.ts";
import { err, ok, type Result } from "../../contract/result.ts";
import { writeFileAtomic } from "../fs/atomic-file.ts";
import { toBridgeError } from "./errors.ts";

/** What a bridge transport (IPC, WebSocket) needs: the Dispatcher's call and subscribe. */
export type BridgeEndpoint = Pick<Dispatcher, "call" | "subscribe">;

interface Remote {
  url: string;
  apiKey: string;
  bridge: WsBridge;
  state: ConnectionState;
}

/** ws(s)://host/bridge from what a user types: http(s)://host[:port][/]. */
export function bridgeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`"${url}" is not a URL: use http://host:11987 or https://host`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    throw new Error(`"${url}" must start with http:// or https://`);
  return `${parsed.protocol === "https:" ? "wss:" : "ws:"}//${parsed.host}/bridge`;
}

export class RunnerSwitch implements BridgeEndpoint {
  private remote: Remote | null = null;
  private readonly listeners = new Set<(c: RunnerConnection) => void>();

  constructor(
    private readonly local: BridgeEndpoint,
    private readonly home: string,
    private readonly connectTimeoutMs = 10_000,
  ) {}

  private get file() {
    return join(this.home, "connection.json");
  }

  /** Restores the saved choice (a remote runner that cannot be reached shows as closed, and retries). */
  async load(): Promise<void> {
    const text = await readFile(this.file, "utf8").catch(() => null);
    if (!text) return;
    try {
      const saved = connectionChoice(JSON.parse(text), "connection.json");
      if (saved.kind === "remote" && saved.url) this.useRemote(saved.url, saved.apiKey ?? "");
    } catch {
      // An unreadable file means "this computer", as before any choice was made.
    }
  }

  connection(): RunnerConnection {
    if (!this.remote) return { kind: "local" };
    return {
      kind: "remote",
      url: this.remote.url,
      state: this.remote.state,
      hasKey: this.remote.apiKey !== "",
    };
  }

  onChange(listener: (c: RunnerConnection) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Switches runners. A remote one must answer with the key first; otherwise nothing changes. */
  async set(choice: unknown): Promise<RunnerConnection> {
    const c = connectionChoice(choice, "params");
    if (c.kind === "local") {
      this.dropRemote();
      await writeFileAtomic(this.file, JSON.stringify({ kind: "local" }) + "\n", 0o600);
    } else {
      if (!c.url) throw new Error("a remote runner needs its URL");
      const url = c.url.replace(/\/+$/, "");
      const probe = this.open(url, c.apiKey ?? "");
      const status = await Promise.race([
        probe.bridge.call("runner.status", undefined as never),
        new Promise<Result<never>>((r) =>
          setTimeout(() => r(err("unavailable", "no answer")), this.connectTimeoutMs),
        ),
      ]);
      if (!status.ok) {
        probe.bridge.close();
        throw new Error(
          `cannot connect to ${url}: check the URL, the key, and that the runner lists this host (HANGAR_ALLOWED_HOSTS)`,
        );
      }
      this.dropRemote();
      this.remote = probe;
      await writeFileAtomic(
        this.file,
        JSON.stringify({ kind: "remote", url, apiKey: c.apiKey ?? "" }) + "\n",
        0o600,
      );
    }
    this.emit();
    return this.connection();
  }

  async call(method: unknown, params: unknown): Promise<Result<unknown>> {
    if (method === "connection.get") return ok(this.connection());
    if (method === "connection.set") {
      try {
        return ok(await this.set(params));
      } catch (error) {
        return { ok: false, error: toBridgeError(error) };
      }
    }
    if (!this.remote) return this.local.call(method, params);
    return this.remote.bridge.call(method as never, params as never) as Promise<Result<unknown>>;
  }

  subscribe(stream: unknown, params: unknown, listener: (event: AnyStreamEvent) => void): () => void {
    if (!this.remote) return this.local.subscribe(stream, params, listener);
    return this.remote.bridge.subscribe(stream as never, params as never, listener as never);
  }

  close(): void {
    this.dropRemote();
    this.listeners.clear();
  }

  private useRemote(url: string, apiKey: string) {
    this.dropRemote();
    this.remote = this.open(url, apiKey);
  }

  private open(url: string, apiKey: string): Remote {
    const remote: Remote = { url, apiKey, state: "connecting", bridge: null as unknown as WsBridge };
    remote.bridge = new WsBridge({
      url: bridgeUrl(url),
      ...(apiKey ? { apiKey } : {}),
      WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
      onConnection: (state) => {
        remote.state = state;
        if (this.remote === remote) this.emit();
      },
    });
    return remote;
  }

  private dropRemote() {
    this.remote?.bridge.close();
    this.remote = null;
  }

  private emit() {
    const c = this.connection();
    for (const listener of this.listeners) listener(c);
  }
}
