/**
 * Routes bridge calls and subscriptions to handlers after validating their parameters with the
 * contract's validators. Every transport (Electron IPC, WebSocket, in-process) goes through here, so
 * validation, error mapping and stream sequence numbers are the same everywhere.
 */
import {
  isMethodName,
  isStreamName,
  methodParams,
  streamParams,
  type Bridge,
  type MethodName,
  type MethodParams,
  type MethodResult,
  type StreamEvent,
  type StreamEvents,
  type StreamName,
  type StreamParams,
  type Unsubscribe,
} from "../../contract/api.ts";
import { err, ok, type Result } from "../../contract/result.ts";
import type { Validator } from "../../contract/validate.ts";
import { toBridgeError } from "./errors.ts";

export type MethodHandler<M extends MethodName> = (
  params: MethodParams<M>,
) => Promise<MethodResult<M>> | MethodResult<M>;
export type MethodHandlers = { [M in MethodName]?: MethodHandler<M> };

/** What a stream handler writes to: one snapshot first, then deltas; error or end close the stream. */
export interface StreamSink<S extends StreamName> {
  snapshot(data: StreamEvents[S]["snapshot"]): void;
  delta(data: StreamEvents[S]["delta"]): void;
  error(code: string, message: string): void;
  end(): void;
}
/** Starts a stream; the returned function stops it (the subscriber went away). */
export type StreamHandler<S extends StreamName> = (
  params: StreamParams<S>,
  sink: StreamSink<S>,
) => (() => void) | void;
export type StreamHandlers = { [S in StreamName]?: StreamHandler<S> };

export interface Handlers {
  methods: MethodHandlers;
  streams: StreamHandlers;
}

export type AnyStreamEvent = StreamEvent<StreamName>;
type EventBody = AnyStreamEvent extends infer E
  ? E extends { seq: number }
    ? Omit<E, "seq">
    : never
  : never;

export class Dispatcher {
  private readonly methods: MethodHandlers = {};
  private readonly streams: StreamHandlers = {};

  constructor(...handlerSets: Handlers[]) {
    for (const set of handlerSets) this.add(set);
  }

  add(set: Handlers): void {
    Object.assign(this.methods, set.methods);
    Object.assign(this.streams, set.streams);
  }

  /** Validates and runs one call. Never rejects: failures come back as `{ok:false}`. */
  async call(method: unknown, params: unknown): Promise<Result<unknown>> {
    if (!isMethodName(method)) return err("not_found", `unknown method ${String(method)}`);
    const handler = this.methods[method] as ((p: unknown) => unknown) | undefined;
    if (!handler) return err("unavailable", `${method} is not available in this runner`);
    try {
      const checked = (methodParams[method] as Validator<unknown>)(params, "params");
      return ok(await handler(checked));
    } catch (error) {
      return { ok: false, error: toBridgeError(error) };
    }
  }

  /**
   * Opens a stream. The listener gets events numbered from 0: a snapshot, then deltas in order; an
   * invalid request or failing handler yields a single error event. The returned function stops it.
   */
  subscribe(stream: unknown, params: unknown, listener: (event: AnyStreamEvent) => void): Unsubscribe {
    let seq = 0;
    let closed = false;
    let stop: (() => void) | void = undefined;
    const emit = (event: EventBody, last = false) => {
      if (closed) return;
      if (last) closed = true;
      listener({ ...event, seq: seq++ } as AnyStreamEvent);
    };
    const fail = (code: string, message: string) => {
      emit({ kind: "error", error: { code, message } }, true);
      stop?.();
    };
    if (!isStreamName(stream)) {
      fail("not_found", `unknown stream ${String(stream)}`);
      return () => {};
    }
    const handler = this.streams[stream] as StreamHandler<StreamName> | undefined;
    if (!handler) {
      fail("unavailable", `${stream} is not available in this runner`);
      return () => {};
    }
    let sawSnapshot = false;
    const sink: StreamSink<StreamName> = {
      snapshot: (data) => {
        sawSnapshot = true;
        emit({ kind: "snapshot", data } as EventBody);
      },
      // Deltas before the snapshot would be applied to nothing: the handler must send its snapshot first.
      delta: (data) => {
        if (sawSnapshot) emit({ kind: "delta", data } as EventBody);
      },
      error: fail,
      end: () => emit({ kind: "end" }, true),
    };
    try {
      const checked = (streamParams[stream] as Validator<unknown>)(params, "params");
      stop = handler(checked as StreamParams<StreamName>, sink);
      if (closed) stop?.();
    } catch (error) {
      const e = toBridgeError(error);
      fail(e.code, e.message);
    }
    return () => {
      if (closed) return;
      closed = true;
      stop?.();
    };
  }

  /** The dispatcher as a typed Bridge, for callers in the same process (tests, the CLI). */
  asBridge(): Bridge {
    return {
      call: (method, params) => this.call(method, params) as never,
      subscribe: (stream, params, listener) =>
        this.subscribe(stream, params, listener as (event: AnyStreamEvent) => void),
    };
  }
}
