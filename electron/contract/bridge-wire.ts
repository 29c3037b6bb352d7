/**
 * The bridge on the wire (the WebSocket at /bridge in browser mode), defined once for the runner's
 * server and the renderer's client. Frames are JSON text:
 *   → {id, method, params}        ← {id, result}            (result is a Result: never a thrown error)
 *   → {sub, stream, params}       ← {sub, event} …          (event: snapshot, then deltas, with seq)
 *   → {unsub}                     stops the stream with that sub id
 *   ← {error}                     the runner could not read a frame
 */
import type { StreamEvent, StreamName } from "./api.ts";
import type { BridgeError, Result } from "./result.ts";
import { v, type Infer, type Validator } from "./validate.ts";

export const BRIDGE_PATH = "/bridge";
/** The WebSocket subprotocol both sides speak; a client that does not offer it is refused. */
export const BRIDGE_PROTOCOL = "hangar.v1";
/** An API key travels as the subprotocol `hangar.key.<base64url key>`: browsers cannot set headers. */
export const KEY_PROTOCOL_PREFIX = "hangar.key.";
/** Largest frame the runner reads. */
export const MAX_FRAME_BYTES = 1024 * 1024;

const frameId = v.union(v.string({ max: 100 }), v.number());

/** What a client sends. `params` is checked later, against the method's or stream's own validator. */
export const clientFrame = v.union(
  v.object({ id: frameId, method: v.string(), params: v.optional(v.json()) }),
  v.object({ sub: frameId, stream: v.string(), params: v.optional(v.json()) }),
  v.object({ unsub: frameId }),
);
export type ClientFrame = Infer<typeof clientFrame>;
export type FrameId = Infer<typeof frameId>;

/** What the runner sends. */
export type ServerFrame =
  | { id: FrameId; result: Result<unknown> }
  | { sub: FrameId; event: StreamEvent<StreamName> }
  | { error: BridgeError };

const bridgeError = v.object({ code: v.string({ max: 100 }), message: v.string() });
const resultFrame = v.object({
  id: v.number(),
  result: v.discriminated("ok", {
    true: v.object({ ok: v.literal(true), value: v.optional(v.json()) }),
    false: v.object({ ok: v.literal(false), error: bridgeError }),
  }),
});
const eventFrame = v.object({
  sub: v.number(),
  event: v.discriminated("kind", {
    snapshot: v.object({ seq: v.number(), kind: v.literal("snapshot"), data: v.json() }),
    delta: v.object({ seq: v.number(), kind: v.literal("delta"), data: v.json() }),
    error: v.object({ seq: v.number(), kind: v.literal("error"), error: bridgeError }),
    end: v.object({ seq: v.number(), kind: v.literal("end") }),
  }),
});

/**
 * What the renderer's client reads: the answer to one of its calls (numbered ids) or an event of one
 * of its subscriptions. Event data is the runner's to shape (its types are in api.ts).
 */
export const clientInbound: Validator<
  { id: number; result: Result<never> } | { sub: number; event: StreamEvent<StreamName> }
> = v.union(resultFrame, eventFrame) as never;

/** Parses one frame's text with `validator`; null when it is not JSON or not a frame. */
export function readFrame<T>(text: string, validator: Validator<T>): T | null {
  try {
    return validator(JSON.parse(text), "frame");
  } catch {
    return null;
  }
}
