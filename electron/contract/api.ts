/**
 * The typed API between the UI and the runner. One table of methods (request/response) and one of
 * streams (snapshot, then ordered deltas). Both Bridge transports — preload IPC in Electron and the
 * WebSocket served by the runner for browsers — are generated from these tables, so adding an
 * operation here is all it takes to expose it everywhere.
 *
 * Each area keeps its own table in its own file (core.ts: runner, catalog, models, downloads,
 * settings). To add an area (e.g. chat.ts exporting chatMethods/ChatMethodResults and
 * chatStreams/ChatStreamEvents), spread its tables below and extend the two result interfaces.
 */
import { type Infer, type Validator } from "./validate.ts";
import type { Result } from "./result.ts";
import { coreMethods, coreStreams, type CoreMethodResults, type CoreStreamEvents } from "./core.ts";
import { chatMethodParams, chatStreamParams, type ChatMethodResults, type ChatStreamEvents } from "./chat.ts";
import { logsMethodParams, logsStreamParams, type LogsMethodResults, type LogsStreamEvents } from "./logs.ts";

export type { RunnerState, RunnerStatus } from "./runner.ts";
export type * from "./catalog.ts";
export type * from "./models.ts";
export type * from "./downloads.ts";
export type * from "./settings.ts";
export { settingsPatch } from "./settings.ts";

/** Request validators per method; the response types are in MethodResults. */
export const methodParams = { ...coreMethods, ...chatMethodParams, ...logsMethodParams } satisfies Record<
  string,
  Validator<unknown>
>;

export type MethodResults = CoreMethodResults & ChatMethodResults & LogsMethodResults;

export type MethodName = keyof typeof methodParams & keyof MethodResults;
export type MethodParams<M extends MethodName> = Infer<(typeof methodParams)[M]>;
export type MethodResult<M extends MethodName> = MethodResults[M];

/** Streams: the first event carries a snapshot, later ones carry deltas, each with a sequence number. */
export const streamParams = { ...coreStreams, ...chatStreamParams, ...logsStreamParams } satisfies Record<
  string,
  Validator<unknown>
>;

export type StreamEvents = CoreStreamEvents & ChatStreamEvents & LogsStreamEvents;

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

export const isMethodName = (name: unknown): name is MethodName =>
  typeof name === "string" && Object.hasOwn(methodParams, name);
export const isStreamName = (name: unknown): name is StreamName =>
  typeof name === "string" && Object.hasOwn(streamParams, name);
