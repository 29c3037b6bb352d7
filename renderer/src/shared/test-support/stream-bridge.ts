/**
 * An in-memory Bridge for screen-store tests: method calls go to plain functions, and each stream
 * subscription is handed to the test, which pushes events the way the runner's dispatcher would
 * (numbered, snapshot first). The runner side has its own tests; this isolates the UI state logic.
 */
import type { Bridge, MethodName, StreamName } from "../../../../electron/contract/api.ts";
import { ok, err } from "../../../../electron/contract/result.ts";

export interface OpenStream {
  name: StreamName;
  params: unknown;
  emit(
    event:
      | { kind: "snapshot" | "delta"; data: unknown }
      | { kind: "error"; error: { code: string; message: string } }
      | { kind: "end" },
  ): void;
  closed: boolean;
}

export function streamBridge(methods: Partial<Record<MethodName, (params: never) => unknown>>) {
  const streams: OpenStream[] = [];
  const calls: { method: string; params: unknown }[] = [];
  const bridge: Bridge = {
    async call(method, params) {
      calls.push({ method, params });
      const handler = methods[method] as ((p: unknown) => unknown) | undefined;
      if (!handler) return err("unavailable", `${method} is not available`) as never;
      try {
        return ok(await handler(params)) as never;
      } catch (error) {
        return err("internal", (error as Error).message) as never;
      }
    },
    subscribe(name, params, listener) {
      let seq = 0;
      const stream: OpenStream = {
        name,
        params,
        closed: false,
        emit: (event) => {
          if (!stream.closed) (listener as (e: unknown) => void)({ ...event, seq: seq++ });
        },
      };
      streams.push(stream);
      return () => void (stream.closed = true);
    },
  };
  return { bridge, streams, calls };
}

/** A frame scheduler the test runs by hand, counting frames. */
export function manualFrames() {
  let queue: (() => void)[] = [];
  const frames = {
    scheduled: 0,
    schedule: (flush: () => void) => {
      frames.scheduled++;
      queue.push(flush);
    },
    run() {
      const q = queue;
      queue = [];
      q.forEach((f) => f());
    },
  };
  return frames;
}
