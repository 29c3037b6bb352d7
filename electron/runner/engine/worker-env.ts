/**
 * What the runner tells an inference worker through its environment: settings the worker needs from
 * its first line of output on, before any message has arrived. A worker prepares node-llama-cpp (the
 * backend) as soon as it starts, so the GPU setting travels here too.
 */
import { logLevels } from "../../contract/logs.ts";
import type { LogLevel } from "../logs/types.ts";
import type { GpuSetting } from "./engine-settings.ts";

const LOG_LEVEL = "HANGAR_WORKER_LOG_LEVEL";
const GPU = "HANGAR_WORKER_GPU";
const gpuSettings: GpuSetting[] = ["auto", "cuda", "vulkan", "metal", false];

/**
 * One thread in the worker's libuv pool, where node-llama-cpp runs each decode. llama.cpp's CPU
 * backend (built with OpenMP in node-llama-cpp's binaries) keeps a team of compute threads per thread
 * that starts a parallel region: with libuv's default 4 threads, consecutive decodes start on different
 * ones, and up to 4 teams take turns on the cores. With one, every decode runs on the same thread and
 * team, as in llama.cpp's own tools. Measured through the HTTP API (1.1 GB Q8_0 model, 2 cores, 5
 * alternating rounds): 23.7 → 28.4 tok/s for one stream, 38.3 → 41.5 for four (2 threads: 27.6, 39.6).
 */
const THREADPOOL_SIZE = "1";

/**
 * The environment to start a worker with: `env` plus the lowest level of llama.cpp's lines to forward,
 * the GPU backend to use ("auto" detects; a named one or false skips detection), and libuv's pool size.
 */
export function workerEnvironment(
  env: NodeJS.ProcessEnv,
  logLevel: LogLevel,
  gpu: GpuSetting = "auto",
): NodeJS.ProcessEnv {
  return { ...env, [LOG_LEVEL]: logLevel, [GPU]: String(gpu), UV_THREADPOOL_SIZE: THREADPOOL_SIZE };
}

/** Inside the worker: the level the runner asked for; "info" when unset or unknown. */
export function workerLogLevel(env: NodeJS.ProcessEnv): LogLevel {
  return logLevels.find((level) => level === env[LOG_LEVEL]) ?? "info";
}

/** Inside the worker: the GPU backend the runner asked for; "auto" when unset or unknown. */
export function workerGpu(env: NodeJS.ProcessEnv): GpuSetting {
  return gpuSettings.find((gpu) => String(gpu) === env[GPU]) ?? "auto";
}
