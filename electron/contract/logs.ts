/**
 * Live logs: the runner's, the engine's (llama.cpp's own lines included) and one row per HTTP request.
 * `logs.tail` sends the lines the runner still holds as its snapshot, then new lines in batches.
 * The shapes match the runner's LogEntry (electron/runner/logs/types.ts); the bridge handler checks
 * that at compile time.
 */
import { v, type Validator } from "./validate.ts";

export const logLevels = ["debug", "info", "warn", "error"] as const;
export const logSources = ["runner", "engine", "http", "store"] as const;
export type LogLevelName = (typeof logLevels)[number];
export type LogSourceName = (typeof logSources)[number];

export interface LogRequestInfo {
  id: string;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  origin?: string;
  promptTokens?: number;
  completionTokens?: number;
  tokensPerSecond?: number;
  timeToFirstTokenMs?: number;
  /** The body's parameters (model, sampling, limits); free text only as its length, never keys. */
  parameters?: Record<string, string | number | boolean | null>;
  /** Why the request failed, as the client was told. */
  error?: { code?: string; message: string };
}

export interface LogLine {
  seq: number;
  time: number;
  level: LogLevelName;
  source: LogSourceName;
  message: string;
  model?: string;
  request?: LogRequestInfo;
  fields?: Record<string, unknown>;
}

/** Filters applied by the runner before sending; the viewer filters again locally as the user types. */
export const logFilterValidator = v.object({
  levels: v.optional(v.array(v.literal(...logLevels), { max: 4 })),
  sources: v.optional(v.array(v.literal(...logSources), { max: 4 })),
  model: v.optional(v.string({ min: 1, max: 500 })),
  /** How many held lines the snapshot may carry at most (newest kept). */
  limit: v.optional(v.number({ min: 0, max: 100_000, integer: true })),
});
export type LogFilter = ReturnType<typeof logFilterValidator>;

export const logsMethods = {} satisfies Record<string, Validator<unknown>>;
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LogsMethodResults {}

export const logsStreams = {
  "logs.tail": v.optional(logFilterValidator),
} satisfies Record<string, Validator<unknown>>;

export interface LogsStreamEvents {
  "logs.tail": { snapshot: { lines: LogLine[] }; delta: { lines: LogLine[] } };
}
