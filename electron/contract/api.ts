/**
 * The typed API between the UI and the runner: one flat table of methods (request/response) and one of
 * streams (snapshot, then ordered deltas), spread from one file per area. Both Bridge transports —
 * preload IPC in Electron and the WebSocket served by the runner for browsers — are generated from
 * these tables, so adding an operation to an area's table is all it takes to expose it everywhere.
 *
 * To add an area (say `x.ts` exporting xMethods/XMethodResults and xStreams/XStreamEvents), spread its
 * tables below and add its result interfaces to MethodResults and StreamEvents.
 */
import { type Infer, type Validator } from "./validate.ts";
import type { Result } from "./result.ts";
import { runnerMethods, runnerStreams, type RunnerMethodResults, type RunnerStreamEvents } from "./runner.ts";
import { catalogMethods, type CatalogMethodResults } from "./catalog.ts";
import { modelMethods, type ModelMethodResults } from "./models.ts";
import {
  downloadMethods,
  downloadStreams,
  type DownloadMethodResults,
  type DownloadStreamEvents,
} from "./downloads.ts";
import { settingsMethods, type SettingsMethodResults } from "./settings.ts";
import { connectionMethods, type ConnectionMethodResults } from "./connection.ts";
import { chatMethods, chatStreams, type ChatMethodResults, type ChatStreamEvents } from "./chat.ts";
import { logsMethods, logsStreams, type LogsMethodResults, type LogsStreamEvents } from "./logs.ts";

export type { RunnerState, RunnerStatus } from "./runner.ts";
export type * from "./catalog.ts";
export type * from "./models.ts";
export type * from "./downloads.ts";
export type * from "./settings.ts";
export type * from "./connection.ts";
export { connectionLabel } from "./connection.ts";
export { settingsPatch, settingsConflict, RESTART_SETTINGS } from "./settings.ts";

/** Request validators per method; the response types are in MethodResults. */
export const methodParams = {
  ...runnerMethods,
  ...catalogMethods,
  ...modelMethods,
  ...downloadMethods,
  ...settingsMethods,
  ...connectionMethods,
  ...chatMethods,
  ...logsMethods,
} satisfies Record<string, Validator<unknown>>;

export type MethodResults = RunnerMethodResults &
  CatalogMethodResults &
  ModelMethodResults &
  DownloadMethodResults &
  SettingsMethodResults &
  ConnectionMethodResults &
  ChatMethodResults &
  LogsMethodResults;

export type MethodName = keyof typeof methodParams & keyof MethodResults;
export type MethodParams<M extends MethodName> = Infer<(typeof methodParams)[M]>;
export type MethodResult<M extends MethodName> = MethodResults[M];

/** Streams: the first event carries a snapshot, later ones carry deltas, each with a sequence number. */
export const streamParams = {
  ...runnerStreams,
  ...downloadStreams,
  ...chatStreams,
  ...logsStreams,
} satisfies Record<string, Validator<unknown>>;

export type StreamEvents = RunnerStreamEvents & DownloadStreamEvents & ChatStreamEvents & LogsStreamEvents;

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
