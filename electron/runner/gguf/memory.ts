/**
 * Memory a model needs at a context size, from its GGUF header alone (so it works for remote files
 * before download): weights + KV cache + overhead.
 */
import type { GgufSummary } from "./metadata.ts";

export interface MemoryEstimate {
  weightsBytes: number;
  kvCacheBytes: number;
  overheadBytes: number;
  totalBytes: number;
}

export interface MemoryEstimateOptions {
  /** Context size in tokens per sequence. */
  contextSize: number;
  /** Parallel sequences sharing the model (each gets its own context); default 1. */
  parallel?: number;
}

/** llama.cpp's default KV cache type is f16: 2 bytes per element. */
export const KV_BYTES_PER_ELEMENT = 2;
/**
 * Fixed cost of a loaded model beyond weights and cache: the runtime, its scratch allocations and the
 * worker process (measured around 100–200 MiB for llama.cpp on CPU); 256 MiB keeps the estimate on the
 * safe side.
 */
export const BASE_OVERHEAD_BYTES = 256 * 1024 * 1024;
/** Tokens evaluated per batch (llama.cpp's default n_batch/n_ubatch is 512). */
const BATCH_TOKENS = 512;
const F32_BYTES = 4;

type SummaryShape = Pick<
  GgufSummary,
  | "tensorBytes"
  | "blockCount"
  | "embeddingLength"
  | "headCount"
  | "headCountKv"
  | "vocabSize"
  | "metadata"
  | "architecture"
>;

export function estimateMemory(summary: SummaryShape, opts: MemoryEstimateOptions): MemoryEstimate {
  if (!Number.isInteger(opts.contextSize) || opts.contextSize <= 0) {
    throw new RangeError(`contextSize must be a positive integer, got ${opts.contextSize}`);
  }
  const parallel = opts.parallel ?? 1;
  if (!Number.isInteger(parallel) || parallel <= 0) {
    throw new RangeError(`parallel must be a positive integer, got ${parallel}`);
  }
  const layers = summary.blockCount ?? 0;
  const embedding = summary.embeddingLength ?? 0;
  const heads = summary.headCount ?? 0;
  const kvHeads = summary.headCountKv ?? heads;
  const headDims = headDimensions(summary, embedding, heads);
  const tokens = opts.contextSize * parallel;
  // K and V per layer per token: kv_heads × head_dim elements each.
  const kvCacheBytes = layers * tokens * kvHeads * (headDims.key + headDims.value) * KV_BYTES_PER_ELEMENT;
  // Compute buffer, sized like llama.cpp's worst-case graph for one batch: the attention scores
  // (batch × heads × context, f32) or the batch's logits over the vocabulary, whichever is larger
  // (the allocator reuses the same memory for both), plus the batch's activations.
  const batch = Math.min(BATCH_TOKENS, tokens);
  const attentionScores = batch * heads * opts.contextSize * F32_BYTES;
  const logits = batch * (summary.vocabSize ?? 0) * F32_BYTES;
  const activations = batch * embedding * F32_BYTES * 4;
  const computeBytes = Math.max(attentionScores, logits) + activations;
  const overheadBytes = BASE_OVERHEAD_BYTES + computeBytes;
  const weightsBytes = summary.tensorBytes;
  return {
    weightsBytes,
    kvCacheBytes,
    overheadBytes,
    totalBytes: weightsBytes + kvCacheBytes + overheadBytes,
  };
}

/** Key and value head sizes: explicit in the metadata for some architectures, else embedding / heads. */
function headDimensions(
  summary: SummaryShape,
  embedding: number,
  heads: number,
): { key: number; value: number } {
  const fallback = heads > 0 ? embedding / heads : 0;
  const read = (k: string) => {
    const v = summary.metadata[`${summary.architecture}.attention.${k}`];
    return typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : null;
  };
  return { key: read("key_length") ?? fallback, value: read("value_length") ?? fallback };
}

export type MemoryFit = "fits" | "tight" | "too_large";

/**
 * "fits" when the model fits in free memory with a margin, "tight" when it needs most of what is free
 * (or more than is free but less than the machine has: other programs would have to give way),
 * "too_large" when it needs more than 90% of the machine's total memory.
 */
export function memoryFit(totalBytes: number, machineTotalBytes: number, freeBytes: number): MemoryFit {
  if (totalBytes > machineTotalBytes * 0.9) return "too_large";
  if (totalBytes <= freeBytes * 0.8) return "fits";
  return "tight";
}
