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
 * The environment to start a worker with: `env` plus the lowest level of llama.cpp's lines to forward
 * and the GPU backend to use ("auto" detects; a named one or false skips detection).
 */
export function workerEnvironment(
  env: NodeJS.ProcessEnv,
  logLevel: LogLevel,
  gpu: GpuSetting = "auto",
): NodeJS.ProcessEnv {
  return { ...env, [LOG_LEVEL]: logLevel, [GPU]: String(gpu) };
}

/** Inside the worker: the level the runner asked for; "info" when unset or unknown. */
export function workerLogLevel(env: NodeJS.ProcessEnv): LogLevel {
  return logLevels.find((level) => level === env[LOG_LEVEL]) ?? "info";
}

/** Inside the worker: the GPU backend the runner asked for; "auto" when unset or unknown. */
export function workerGpu(env: NodeJS.ProcessEnv): GpuSetting {
  return gpuSettings.find((gpu) => String(gpu) === env[GPU]) ?? "auto";
}
