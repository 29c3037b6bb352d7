/**
 * What the runner tells an inference worker through its environment: settings the worker needs from
 * its first line of output on, before any message has arrived.
 */
import { logLevels } from "../../contract/logs.ts";
import type { LogLevel } from "../logs/types.ts";

const LOG_LEVEL = "HANGAR_WORKER_LOG_LEVEL";

/** The environment to start a worker with: `env` plus the lowest level of llama.cpp's lines to forward. */
export function workerEnvironment(env: NodeJS.ProcessEnv, logLevel: LogLevel): NodeJS.ProcessEnv {
  return { ...env, [LOG_LEVEL]: logLevel };
}

/** Inside the worker: the level the runner asked for; "info" when unset or unknown. */
export function workerLogLevel(env: NodeJS.ProcessEnv): LogLevel {
  return logLevels.find((level) => level === env[LOG_LEVEL]) ?? "info";
}
