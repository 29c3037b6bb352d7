/**
 * Bridge over a runner's WebSocket at /bridge: the app in a browser (the page's own runner), and the
 * desktop app's main process on a remote runner (with the `ws` package as WebSocketImpl). Reconnects
 * with backoff; on reconnect every live subscription is opened again, so it starts over with a fresh
 * snapshot — except streams whose opening acts (a chat turn sends a message): those end with an
 * "unavailable" error, since opening them again would do the work twice. Calls in flight when the
 * socket drops answer with an "unavailable" error rather than hanging.
 */
import {
  BRIDGE_PROTOCOL,
  clientInbound,
  err,
  KEY_PROTOCOL_PREFIX,
  readFrame,
  type Bridge,
  type MethodName,
  type MethodParams,
  type MethodResult,
  type Result,
  type StreamEvent,
  type StreamName,
  type StreamParams,
} from "./index.ts";
import { actingStreams } from "./chat.ts";

export type ConnectionState = "connecting" | "open" | "closed";

interface Subscription {
  stream: StreamName;
  params: unknown;
  listener: (event: StreamEvent<StreamName>) => void;
  /** Sent on a socket: for an acting stream, the runner has started its work. */
  opened: boolean;
  lastSeq: number;
}

export interface WsBridgeOptions {
  url: string;
  /** API key, sent as a subprotocol (browsers cannot set headers on a WebSocket). */
  apiKey?: string;
  onConnection?: (state: ConnectionState) => void;
  /** Injected for tests in Node (the `ws` package); the browser's WebSocket by default. */
  WebSocketImpl?: typeof WebSocket;
}

const base64url = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

export class WsBridge implements Bridge {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (result: Result<never>) => void>();
  private readonly subs = new Map<number, Subscription>();
  private queue: string[] = [];
  private retryMs = 250;
  private closed = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: WsBridgeOptions) {
    this.connect();
  }

  call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<Result<MethodResult<M>>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (r: Result<never>) => void);
      this.send({ id, method, params });
    });
  }

  subscribe<S extends StreamName>(
    stream: S,
    params: StreamParams<S>,
    listener: (event: StreamEvent<S>) => void,
  ): () => void {
    const sub = this.nextId++;
    const entry: Subscription = {
      stream,
      params,
      listener: listener as Subscription["listener"],
      opened: false,
      lastSeq: -1,
    };
    this.subs.set(sub, entry);
    entry.opened = this.send({ sub, stream, params });
    return () => {
      if (this.subs.delete(sub)) this.send({ unsub: sub });
    };
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close();
    this.failPending();
  }

  private connect() {
    const Impl = this.options.WebSocketImpl ?? WebSocket;
    const protocols = [BRIDGE_PROTOCOL];
    if (this.options.apiKey) protocols.push(KEY_PROTOCOL_PREFIX + base64url(this.options.apiKey));
    this.options.onConnection?.("connecting");
    const socket = new Impl(this.options.url, protocols);
    this.socket = socket;
    socket.onopen = () => {
      this.retryMs = 250;
      this.options.onConnection?.("open");
      for (const [sub, s] of this.subs) {
        socket.send(JSON.stringify({ sub, stream: s.stream, params: s.params }));
        s.opened = true;
      }
      for (const frame of this.queue) socket.send(frame);
      this.queue = [];
    };
    socket.onmessage = (message) => this.receive(String(message.data));
    // A refused or broken connection also closes: onclose does the work. (Without a handler, the `ws`
    // package throws the error.)
    socket.onerror = () => {};
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.failPending();
      this.endActingStreams();
      this.options.onConnection?.("closed");
      if (this.closed) return;
      this.timer = setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 5000);
    };
  }

  /** Sends a frame now (true), or queues a call for the next connection (false). */
  private send(frame: unknown): boolean {
    const text = JSON.stringify(frame);
    if (this.socket?.readyState === 1) {
      this.socket.send(text);
      return true;
    }
    if (!("unsub" in (frame as object))) {
      // Subscriptions are re-sent from `subs` on open; only calls wait in the queue.
      if ("id" in (frame as object)) this.queue.push(text);
    }
    return false;
  }

  private receive(text: string) {
    const frame = readFrame(text, clientInbound);
    if (!frame) return;
    if ("result" in frame) {
      this.pending.get(frame.id)?.(frame.result);
      this.pending.delete(frame.id);
    } else {
      const s = this.subs.get(frame.sub);
      if (!s) return;
      s.lastSeq = frame.event.seq;
      if (frame.event.kind === "error" || frame.event.kind === "end") this.subs.delete(frame.sub);
      s.listener(frame.event);
    }
  }

  /** Acting streams the runner had started cannot be opened again: they end as "unavailable". */
  private endActingStreams() {
    for (const [sub, s] of this.subs) {
      if (!s.opened || !actingStreams.has(s.stream)) continue;
      this.subs.delete(sub);
      s.listener({
        seq: s.lastSeq + 1,
        kind: "error",
        error: { code: "unavailable", message: "connection to the runner was lost" },
      });
    }
  }

  private failPending() {
    for (const resolve of this.pending.values())
      resolve(err("unavailable", "connection to the runner was lost"));
    this.pending.clear();
    this.queue = [];
  }
}
