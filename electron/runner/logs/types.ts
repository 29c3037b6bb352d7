/**
 * Structured logs. The log hub (electron/runner/logs) keeps a bounded ring, writes a rotating file under
 * $HANGAR_HOME/logs, and lets subscribers take a snapshot, then live entries in order.
 */
import type { LogLevelName, LogLine, LogSourceName } from "../../contract/logs.ts";

export type LogLevel = LogLevelName;
/** runner: the runner itself; engine: a worker, including llama.cpp's own lines; http: API requests. */
export type LogSource = LogSourceName;
/** One line; the same shape the log viewer receives over the bridge (defined once, in the contract). */
export type LogEntry = LogLine;

export interface Logger {
  log(entry: Omit<LogEntry, "seq" | "time">): void;
  debug(source: LogSource, message: string, fields?: Record<string, unknown>): void;
  info(source: LogSource, message: string, fields?: Record<string, unknown>): void;
  warn(source: LogSource, message: string, fields?: Record<string, unknown>): void;
  error(source: LogSource, message: string, fields?: Record<string, unknown>): void;
}
