/**
 * Reads the header of a GGUF file (local path or remote URL) into the summary the store, the catalog and
 * the memory estimate need. Remote files are read with Range requests: only the header chunks are
 * fetched, never the weights (`@huggingface/gguf` asks for 2 MB chunks until the tensor table ends).
 */
import { stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { gguf, GGMLFileQuantizationType, GGMLQuantizationType } from "@huggingface/gguf";
import type { GGUFTensorInfo, MetadataValue } from "@huggingface/gguf";
import { tensorDataEnd } from "./tensor-extent.ts";

export type GgufMetadata = Record<string, MetadataValue>;

export interface GgufSummary {
  /** Every metadata key as parsed (bigints for 64-bit integers). */
  metadata: GgufMetadata;
  architecture: string;
  /** File type name as llama.cpp prints it: "Q4_K_M", "Q8_0", "F16", … */
  quantization: string;
  parameterCount: number;
  /** Human parameter count: "135M", "1.2B". */
  parameters: string;
  contextLength: number | null;
  embeddingLength: number | null;
  blockCount: number | null;
  headCount: number | null;
  headCountKv: number | null;
  vocabSize: number | null;
  chatTemplate: string | null;
  /** Bytes of tensor data in this file (the weights). */
  tensorBytes: number;
  /** Total file size when known. */
  fileSize: number | null;
  /** Where the header says the tensor data ends (see tensor-extent.ts); past fileSize: a broken file. */
  tensorDataEnd?: number;
}

export interface ReadGgufOptions {
  fetch?: typeof fetch;
  /** Extra request headers for remote files, e.g. Authorization for the Hugging Face endpoint. */
  headers?: Record<string, string>;
}

export class GgufReadError extends Error {
  readonly code = "gguf_unreadable";
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(`cannot read GGUF header of ${source}: ${message}`);
    this.name = "GgufReadError";
  }
}

/** Reads and summarises a GGUF header. `source` is a local path, a file: URL, or an http(s) URL. */
export async function readGgufSummary(
  source: string | URL,
  opts: ReadGgufOptions = {},
): Promise<GgufSummary> {
  const uri = source instanceof URL ? source.href : source;
  const remote = /^https?:\/\//i.test(uri);
  const local = remote ? null : uri.startsWith("file:") ? fileURLToPath(uri) : uri;
  let fileSize: number | null = null;
  let fetchImpl: typeof fetch | undefined;
  if (remote) {
    const base = opts.fetch ?? fetch;
    // The parser ignores status codes, so a 404 page or a server that ignores Range (sending the
    // whole file) would otherwise be parsed or downloaded in full. Check every answer here.
    fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await base(input, init);
      if (response.status !== 206) {
        await response.body?.cancel();
        throw new GgufReadError(
          uri,
          response.status === 200
            ? "the server ignored the Range request (it would send the whole file)"
            : `HTTP ${response.status} ${response.statusText}`.trim(),
        );
      }
      const total = response.headers.get("content-range")?.match(/\/\s*(\d+)\s*$/)?.[1];
      if (total !== undefined) fileSize = Number(total);
      return response;
    }) as typeof fetch;
  } else {
    try {
      fileSize = (await stat(local!)).size;
    } catch (err) {
      throw new GgufReadError(uri, (err as Error).message);
    }
  }
  let parsed;
  try {
    parsed = await gguf(remote ? uri : local!, {
      fetch: fetchImpl,
      additionalFetchHeaders: opts.headers,
      computeParametersCount: true,
      allowLocalFile: !remote,
    });
  } catch (err) {
    if (err instanceof GgufReadError) throw err;
    throw new GgufReadError(uri, (err as Error).message);
  }
  const metadata = parsed.metadata as unknown as GgufMetadata;
  const tensorBytes =
    fileSize !== null
      ? Math.max(0, fileSize - Number(parsed.tensorDataOffset))
      : estimateTensorBytes(parsed.tensorInfos);
  return {
    ...summarize(metadata, parsed.tensorInfos, parsed.parameterCount, tensorBytes, fileSize),
    tensorDataEnd: tensorDataEnd(parsed.tensorDataOffset, parsed.tensorInfos),
  };
}

function summarize(
  metadata: GgufMetadata,
  tensors: GGUFTensorInfo[],
  parameterCount: number,
  tensorBytes: number,
  fileSize: number | null,
): GgufSummary {
  const architecture =
    typeof metadata["general.architecture"] === "string" ? metadata["general.architecture"] : "";
  const arch = (key: string) => numberValue(metadata[`${architecture}.${key}`]);
  const template = metadata["tokenizer.chat_template"];
  const tokens = metadata["tokenizer.ggml.tokens"];
  return {
    metadata,
    architecture,
    quantization: quantizationName(metadata, tensors),
    parameterCount,
    parameters: formatParameters(parameterCount),
    contextLength: arch("context_length"),
    embeddingLength: arch("embedding_length"),
    blockCount: arch("block_count"),
    headCount: arch("attention.head_count"),
    headCountKv: arch("attention.head_count_kv") ?? arch("attention.head_count"),
    vocabSize: arch("vocab_size") ?? (Array.isArray(tokens) ? tokens.length : null),
    chatTemplate: typeof template === "string" ? template : null,
    tensorBytes,
    fileSize,
  };
}

function numberValue(v: MetadataValue | undefined): number | null {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  // Some architectures store per-layer head counts as arrays; the first layer is representative.
  if (Array.isArray(v) && v.length > 0) return numberValue(v[0] as MetadataValue);
  return null;
}

/** "135M", "1.2B", "21B": the way model cards and Docker tags write sizes. */
export function formatParameters(count: number): string {
  if (count >= 1e9) return `${trim(count / 1e9)}B`;
  if (count >= 1e6) return `${Math.round(count / 1e6)}M`;
  if (count >= 1e3) return `${Math.round(count / 1e3)}K`;
  return String(count);
}

function trim(n: number): string {
  return n >= 10 ? String(Math.round(n)) : String(Math.round(n * 10) / 10);
}

function quantizationName(metadata: GgufMetadata, tensors: GGUFTensorInfo[]): string {
  const fileType = numberValue(metadata["general.file_type"]);
  if (fileType !== null && typeof GGMLFileQuantizationType[fileType] === "string") {
    return GGMLFileQuantizationType[fileType];
  }
  // No file type: name the type holding most of the weights.
  const bytesByType = new Map<number, number>();
  for (const t of tensors) {
    bytesByType.set(t.dtype, (bytesByType.get(t.dtype) ?? 0) + elements(t));
  }
  const top = [...bytesByType.entries()].sort((a, b) => b[1] - a[1])[0];
  return (top && GGMLQuantizationType[top[0]]) ?? "unknown";
}

function elements(t: GGUFTensorInfo): number {
  return t.shape.reduce((a, d) => a * Number(d), 1);
}

/** Bits per weight of the common tensor types (ggml block size × type size), for remote files of unknown size. */
const BITS_PER_WEIGHT: Partial<Record<number, number>> = {
  [GGMLQuantizationType.F32]: 32,
  [GGMLQuantizationType.F16]: 16,
  [GGMLQuantizationType.BF16]: 16,
  [GGMLQuantizationType.Q4_0]: 4.5,
  [GGMLQuantizationType.Q4_1]: 5,
  [GGMLQuantizationType.Q5_0]: 5.5,
  [GGMLQuantizationType.Q5_1]: 6,
  [GGMLQuantizationType.Q8_0]: 8.5,
  [GGMLQuantizationType.Q2_K]: 2.625,
  [GGMLQuantizationType.Q3_K]: 3.4375,
  [GGMLQuantizationType.Q4_K]: 4.5,
  [GGMLQuantizationType.Q5_K]: 5.5,
  [GGMLQuantizationType.Q6_K]: 6.5625,
  [GGMLQuantizationType.Q8_K]: 9.125,
};

function estimateTensorBytes(tensors: GGUFTensorInfo[]): number {
  return Math.round(tensors.reduce((a, t) => a + (elements(t) * (BITS_PER_WEIGHT[t.dtype] ?? 16)) / 8, 0));
}

/** Arrays longer than this are left out of the Docker config's gguf map, as docker/model-runner does. */
export const DOCKER_GGUF_ARRAY_LIMIT = 50;

/**
 * The `config.gguf` map of a Docker model artifact: every key with its value as a string; arrays of
 * more than 50 items (token lists, scores) are skipped.
 */
export function dockerGgufConfigMap(metadata: GgufMetadata): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (key === "version" || key === "tensor_count" || key === "kv_count") continue;
    if (Array.isArray(value) && value.length > DOCKER_GGUF_ARRAY_LIMIT) continue;
    out[key] = formatValue(value);
  }
  return out;
}

function formatValue(value: MetadataValue): string {
  // Arrays as Go's %v prints them ("[1 2 3]"), the form the shipping Docker tooling writes.
  if (Array.isArray(value)) return `[${value.map((v) => formatValue(v as MetadataValue)).join(" ")}]`;
  return String(value);
}
