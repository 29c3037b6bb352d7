/**
 * The memory estimate `hangar inspect` and the catalog show for a model: read the GGUF header(s), sum
 * the weights of every shard, estimate at a context size and classify against this machine's memory.
 */
import { freemem, totalmem } from "node:os";
import { readGgufSummary, type GgufSummary, type ReadGgufOptions } from "./metadata.ts";
import { estimateMemory, memoryFit, type MemoryEstimate, type MemoryFit } from "./memory.ts";

/** Context size used when none is given: the model's own, capped, as a runner would start it. */
export const DEFAULT_ESTIMATE_CONTEXT = 4096;

export interface ModelMemoryReport {
  summary: GgufSummary;
  contextSize: number;
  estimate: MemoryEstimate;
  fit: MemoryFit;
  machineTotalBytes: number;
  freeBytes: number;
}

export interface ModelMemoryOptions extends ReadGgufOptions {
  contextSize?: number;
  parallel?: number;
  /** Override the machine's memory (tests, or a configured memory budget). */
  machineTotalBytes?: number;
  freeBytes?: number;
}

/**
 * `sources`: the weight files in shard order (local paths or URLs). Only headers are read; the
 * first shard gives the model's shape and every shard adds its weights.
 */
export async function estimateModelMemory(
  sources: Array<string | URL>,
  opts: ModelMemoryOptions = {},
): Promise<ModelMemoryReport> {
  if (sources.length === 0) throw new Error("estimateModelMemory needs at least one GGUF file");
  const summaries = [];
  for (const s of sources) summaries.push(await readGgufSummary(s, opts));
  const first = summaries[0]!;
  const summary: GgufSummary = { ...first, tensorBytes: summaries.reduce((a, s) => a + s.tensorBytes, 0) };
  const contextSize =
    opts.contextSize ?? Math.min(first.contextLength ?? DEFAULT_ESTIMATE_CONTEXT, DEFAULT_ESTIMATE_CONTEXT);
  const estimate = estimateMemory(summary, { contextSize, parallel: opts.parallel });
  const machineTotalBytes = opts.machineTotalBytes ?? totalmem();
  const freeBytes = opts.freeBytes ?? freemem();
  return {
    summary,
    contextSize,
    estimate,
    fit: memoryFit(estimate.totalBytes, machineTotalBytes, freeBytes),
    machineTotalBytes,
    freeBytes,
  };
}

/** Human byte sizes in binary units, as `hangar ls`/`inspect` print them: "806.1 MiB", "1.9 GiB". */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** The lines `hangar inspect` prints under "Memory". */
export function formatMemoryReport(r: ModelMemoryReport): string[] {
  const fitText = {
    fits: "fits",
    tight: "tight (close other programs first)",
    too_large: "too large for this machine",
  };
  return [
    `context size     ${r.contextSize} tokens`,
    `weights          ${formatBytes(r.estimate.weightsBytes)}`,
    `KV cache (f16)   ${formatBytes(r.estimate.kvCacheBytes)}`,
    `overhead         ${formatBytes(r.estimate.overheadBytes)}`,
    `total            ${formatBytes(r.estimate.totalBytes)}`,
    `this machine     ${fitText[r.fit]} (${formatBytes(r.freeBytes)} free of ${formatBytes(r.machineTotalBytes)})`,
  ];
}
