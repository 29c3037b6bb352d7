/**
 * The bridge over a WebSocket at /bridge, for the app in a browser (frames: contract/bridge-wire.ts;
 * what a connection does with them: bridge-connection.ts). The socket is accepted only from the
 * runner's own origin (Origin must be the page this runner served under an accepted Host), or without
 * Origin from a non-browser client that offers a key; and, when API keys are configured, with a key: an Authorization header, or the subprotocol
 * "hangar.key.<base64url key>" (browsers cannot set headers on a WebSocket).
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { BRIDGE_PROTOCOL, KEY_PROTOCOL_PREFIX, MAX_FRAME_BYTES } from "../../contract/bridge-wire.ts";
import type { Dispatcher } from "./dispatcher.ts";

/** What the socket serves: a Dispatcher, or the desktop app's switch between runners. */
type BridgeEndpoint = Pick<Dispatcher, "call" | "subscribe">;
import { serveBridgeConnection } from "./bridge-connection.ts";

export interface BridgeSocketOptions {
  dispatcher: BridgeEndpoint;
  /**
   * Whether the keys a connection offers (Bearer header or key subprotocol) let it in: the runner's own
   * access policy, the same one its HTTP API uses, asked on every connection.
   */
  keyAccepted: (offered: string[]) => boolean;
  /** Extra check of the Host header (DNS rebinding); the HTTP server usually did it already. */
  hostAllowed?: (host: string | undefined) => boolean;
}

function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  const host = req.headers.host;
  if (!origin || !host) return false;
  try {
    const url = new URL(origin);
    return (url.protocol === "http:" || url.protocol === "https:") && url.host === host.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * Browsers always send Origin, so a page gets in only from this runner's own origin. A client without
 * one is no browser page (the desktop app's main process, a script): cross-site pages cannot ride on it,
 * so it may connect when it offers a key (checked next against the runner's keys).
 */
function originAllowed(req: IncomingMessage): boolean {
  if (req.headers.origin === undefined) return offeredKeys(req).length > 0;
  return sameOrigin(req);
}

function offeredKeys(req: IncomingMessage): string[] {
  const keys: string[] = [];
  const auth = /^Bearer\s+(.+)$/i.exec((req.headers.authorization ?? "").trim());
  if (auth) keys.push(auth[1]!.trim());
  for (const p of (req.headers["sec-websocket-protocol"] ?? "").split(",")) {
    const name = p.trim();
    if (name.startsWith(KEY_PROTOCOL_PREFIX))
      keys.push(Buffer.from(name.slice(KEY_PROTOCOL_PREFIX.length), "base64url").toString());
  }
  return keys;
}

/** Encodes a key as the subprotocol a browser offers (the inverse of what the server reads). */
export function keyProtocol(key: string): string {
  return KEY_PROTOCOL_PREFIX + Buffer.from(key).toString("base64url");
}

export class BridgeSocketServer {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    handleProtocols: (protocols) => (protocols.has(BRIDGE_PROTOCOL) ? BRIDGE_PROTOCOL : false),
  });

  constructor(private readonly options: BridgeSocketOptions) {
    this.wss.on("connection", (ws) => this.serve(ws));
  }

  /** Upgrade handler for the HTTP server's /bridge path. */
  handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const hostOk = this.options.hostAllowed?.(req.headers.host) ?? true;
    if (!hostOk || !originAllowed(req)) return reject(socket, 403, "Forbidden");
    if (!this.options.keyAccepted(offeredKeys(req))) return reject(socket, 401, "Unauthorized");
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit("connection", ws, req));
  };

  /** Closes every bridge socket (runner stop); their subscriptions end. */
  close(): void {
    for (const ws of this.wss.clients) {
      ws.close(1001, "runner stopping");
      // A peer that does not answer the close handshake must not hold the runner's shutdown up.
      setTimeout(() => ws.terminate(), 1000).unref();
    }
  }

  /** Serves one socket already upgraded elsewhere (an app host other than the runner's HTTP server). */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.handleUpgrade(req, socket, head);
  }

  private serve(ws: WebSocket) {
    const connection = serveBridgeConnection(this.options.dispatcher, (text) => {
      if (ws.readyState === ws.OPEN) ws.send(text);
    });
    ws.on("message", (raw, isBinary) => connection.receive(isBinary ? null : raw.toString()));
    ws.on("close", () => connection.close());
  }
}

function reject(socket: Duplex, status: number, text: string) {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
}
