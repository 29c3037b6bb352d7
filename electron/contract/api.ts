/**
 * The typed API between the UI and the runner. One table of methods (request/response) and one of
 * streams (snapshot, then ordered deltas). Both Bridge transports — preload IPC in Electron and the
 * WebSocket served by the runner for browsers — are generated from these tables, so adding an
 * operation here is all it takes to expose it everywhere.
 */
import { v, type Infer, type Validator } from "./validate.ts";
import type { Result } from "./result.ts";

export type RunnerState = "running" | "stopped" | "starting" | "stopping";

export interface RunnerStatus {
  state: RunnerState;
  version: string;
  /** Base URL of the HTTP API while it runs, e.g. http://127.0.0.1:11987 */
  url: string | null;
  /** Number of requests currently generating. */
  busy: number;
  loadedModels: string[];
  /** Inference backend in use: "cpu", "cuda", "metal", "vulkan"; null before the first load. */
  backend: string | null;
}

const noParams = v.optional(v.object({}));

/** Request validators per method; the response types are in MethodResults. */
export const methodParams = {
  "runner.status": noParams,
} satisfies Record<string, Validator<unknown>>;

export interface MethodResults {
  "runner.status": RunnerStatus;
}

export type MethodName = keyof typeof methodParams & keyof MethodResults;
export type MethodParams<M extends MethodName> = Infer<(typeof methodParams)[M]>;
export type MethodResult<M extends MethodName> = MethodResults[M];

/** Streams: the first event carries a snapshot, later ones carry deltas, each with a sequence number. */
export const streamParams = {
  "runner.status": noParams,
} satisfies Record<string, Validator<unknown>>;

export interface StreamEvents {
  "runner.status": { snapshot: RunnerStatus; delta: RunnerStatus };
}

export type StreamName = keyof typeof streamParams & keyof StreamEvents;
export type StreamParams<S extends StreamName> = Infer<(typeof streamParams)[S]>;

export type StreamEvent<S extends StreamName> =
  | { seq: number; kind: "snapshot"; data: StreamEvents[S]["snapshot"] }
  | { seq: number; kind: "delta"; data: StreamEvents[S]["delta"] }
  | { seq: number; kind: "error"; error: { code: string; message: string } }
  | { seq: number; kind: "end" };

export type Unsubscribe = () => void;

/** What the renderer talks to. Implementations: preload IPC (Electron) and WebSocket (browser). */
export interface Bridge {
  call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<Result<MethodResult<M>>>;
  subscribe<S extends StreamName>(
    stream: S,
    params: StreamParams<S>,
    listener: (event: StreamEvent<S>) => void,
  ): Unsubscribe;
}

export const methodNames = Object.keys(methodParams) as MethodName[];
export const streamNames = Object.keys(streamParams) as StreamName[];
