/**
 * Engine settings with their defaults, and the memory estimate the scheduler budgets with.
 */
import { stat } from "node:fs/promises";
import os from "node:os";
import { estimateMemory, readGgufSummary } from "../gguf/index.ts";
import type { LogLevel } from "../logs/types.ts";
import type { ResolvedModel } from "../models.ts";

export type GpuSetting = "auto" | "cuda" | "vulkan" | "metal" | false;

export interface EngineSettings {
  /** Threads per worker; default (also for null): llama.cpp's physical performance-core count (threads.ts). */
  threads?: number | null;
  /** node-llama-cpp GPU backend; "auto" detects Metal/CUDA/Vulkan, false runs on the CPU. */
  gpu?: GpuSetting;
  /**
   * Memory-map model files: true maps them, false reads them into memory at load, "auto" (default)
   * maps them and reads them into memory once the model is idle (worker/weights-settle.ts).
   */
  useMmap?: boolean | "auto";
  /** With useMmap "auto": how long a model stays idle before its weights move into memory (2 s). */
  settleAfterIdleMs?: number;
  /** Parallel sequences (requests generating at once) per model; default 4. */
  parallel?: number;
  /** Context size per sequence; default 4096, capped at the model's trained context. */
  contextSize?: number;
  /** Seconds an idle model stays loaded; default 300; 0 unloads after each request; negative keeps it. */
  keepAliveSeconds?: number;
  /** Memory all loaded models may take together; default (also for null) 70% of total RAM. */
  memoryBudgetBytes?: number | null;
  /** Requests waiting for a sequence per model before new ones are refused; default 64. */
  maxQueue?: number;
  /** Lowest level of llama.cpp's own lines that workers forward to the log; default "info". */
  logLevel?: LogLevel;
}

export interface ResolvedEngineSettings {
  /** undefined: the worker uses llama.cpp's core count (known only once node-llama-cpp is loaded). */
  threads: number | undefined;
  gpu: GpuSetting;
  useMmap: boolean | "auto";
  settleAfterIdleMs: number | undefined;
  parallel: number;
  contextSize: number;
  keepAliveSeconds: number;
  memoryBudgetBytes: number;
  maxQueue: number;
  logLevel: LogLevel;
}

export function resolveEngineSettings(settings: EngineSettings = {}): ResolvedEngineSettings {
  const positive = (name: string, value: number | null | undefined, fallback: number) => {
    if (value === undefined || value === null) return fallback;
    if (!Number.isFinite(value) || value < 1)
      throw new RangeError(`engine setting ${name} must be >= 1, got ${value}`);
    return Math.floor(value);
  };
  return {
    threads:
      settings.threads === undefined || settings.threads === null
        ? undefined
        : positive("threads", settings.threads, 1),
    gpu: settings.gpu ?? "auto",
    useMmap: settings.useMmap ?? "auto",
    settleAfterIdleMs: settings.settleAfterIdleMs,
    parallel: positive("parallel", settings.parallel, 4),
    contextSize: positive("contextSize", settings.contextSize, 4096),
    keepAliveSeconds: settings.keepAliveSeconds ?? 300,
    memoryBudgetBytes: positive(
      "memoryBudgetBytes",
      settings.memoryBudgetBytes,
      Math.floor(os.totalmem() * 0.7),
    ),
    maxQueue: settings.maxQueue === undefined ? 64 : Math.max(0, Math.floor(settings.maxQueue)),
    logLevel: settings.logLevel ?? "info",
  };
}

export interface ModelFootprint {
  /** Context size per sequence after capping at the trained context. */
  contextSize: number;
  /** Weights + KV cache + runtime overhead, in bytes. */
  memoryBytes: number;
}

/** Sizes a model from its GGUF header: every shard's file size counts as weights. */
export async function estimateFootprint(
  model: ResolvedModel,
  requestedContextSize: number,
  parallel: number,
): Promise<ModelFootprint> {
  const first = model.ggufPaths[0];
  if (!first) throw new Error(`model ${model.ref} has no GGUF file`);
  const summary = await readGgufSummary(first);
  const trained = summary.contextLength ?? model.contextLength ?? requestedContextSize;
  const contextSize = Math.max(1, Math.min(requestedContextSize, trained));
  const estimate = estimateMemory(summary, { contextSize, parallel });
  const sizes = await Promise.all(model.ggufPaths.map(async (path) => (await stat(path)).size));
  const weights = Math.max(
    estimate.weightsBytes,
    sizes.reduce((a, b) => a + b, 0),
  );
  return { contextSize, memoryBytes: weights + estimate.kvCacheBytes + estimate.overheadBytes };
}
