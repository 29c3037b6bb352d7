/**
 * Structured logs. The log hub (electron/runner/logs) keeps a bounded ring, writes a rotating file under
 * $HANGAR_HOME/logs, and lets subscribers take a snapshot, then live entries in order.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
/** runner: the runner itself; engine: a worker, including llama.cpp's own lines; http: API requests. */
export type LogSource = "runner" | "engine" | "http" | "store";

export interface LogEntry {
  /** Increasing sequence number; never reused within a runner's life. */
  seq: number;
  /** Milliseconds since the epoch. */
  time: number;
  level: LogLevel;
  source: LogSource;
  message: string;
  /** The model this line concerns, when there is one. */
  model?: string;
  /** For source "http": one row per request. */
  request?: {
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
  };
  fields?: Record<string, unknown>;
}

export interface Logger {
  log(entry: Omit<LogEntry, "seq" | "time">): void;
  debug(source: LogSource, message: string, fields?: Record<string, unknown>): void;
  info(source: LogSource, message: string, fields?: Record<string, unknown>): void;
  warn(source: LogSource, message: string, fields?: Record<string, unknown>): void;
  error(source: LogSource, message: string, fields?: Record<string, unknown>): void;
}
