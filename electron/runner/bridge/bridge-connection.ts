/**
 * One bridge connection, whatever carries it (a WebSocket, or an in-memory pair in tests): reads
 * client frames (contract/bridge-wire.ts), runs calls and subscriptions on the dispatcher, and sends
 * answers and events back. Closing the connection ends its subscriptions; work they started
 * (downloads) goes on.
 */
import { clientFrame, readFrame, type FrameId, type ServerFrame } from "../../contract/bridge-wire.ts";
import type { Dispatcher } from "./dispatcher.ts";

const MAX_SUBSCRIPTIONS = 256;

export interface BridgeConnection {
  /** One frame's text as it arrived; null for a frame that is not text. */
  receive(text: string | null): void;
  /** The peer went away: stops every subscription. */
  close(): void;
}

export function serveBridgeConnection(
  dispatcher: Pick<Dispatcher, "call" | "subscribe">,
  sendText: (text: string) => void,
): BridgeConnection {
  const subs = new Map<FrameId, () => void>();
  const send = (frame: ServerFrame) => sendText(JSON.stringify(frame));
  return {
    receive(text) {
      const frame = text === null ? null : readFrame(text, clientFrame);
      if (!frame) return send({ error: { code: "invalid_request", message: "unreadable frame" } });
      if ("method" in frame) {
        void dispatcher.call(frame.method, frame.params).then((result) => send({ id: frame.id, result }));
      } else if ("stream" in frame) {
        if (subs.has(frame.sub) || subs.size >= MAX_SUBSCRIPTIONS) {
          const message = subs.has(frame.sub) ? `sub ${frame.sub} is in use` : "too many subscriptions";
          return send({
            sub: frame.sub,
            event: { seq: 0, kind: "error", error: { code: "conflict", message } },
          });
        }
        const sub = frame.sub;
        let finished = false;
        const stop = dispatcher.subscribe(frame.stream, frame.params, (event) => {
          send({ sub, event });
          if (event.kind === "error" || event.kind === "end") {
            finished = true;
            subs.delete(sub);
          }
        });
        // A stream that failed at once has already finished; keep only live ones.
        if (!finished) subs.set(sub, stop);
      } else {
        subs.get(frame.unsub)?.();
        subs.delete(frame.unsub);
      }
    },
    close() {
      for (const stop of subs.values()) stop();
      subs.clear();
    },
  };
}
