/** Installed models: list, inspect, load/unload, delete, tag, push. */
import { noParams, v, type Validator } from "./validate.ts";
import type { MemoryFit } from "./catalog.ts";

export type ModelFormat = "docker" | "cncf" | "ollama" | "huggingface" | "gguf";

/** A model in the store, as the runner and the UI both see it (electron/runner/models.ts re-exports it). */
export interface InstalledModel {
  /** Canonical reference, e.g. "ai/smollm2:135M-Q4_K_M", "hf.co/user/repo:Q4_K_M", "registry.ollama.ai/library/gemma3:1b". */
  ref: string;
  /** Manifest digest ("sha256:…"). */
  digest: string;
  format: ModelFormat;
  /** Total bytes of all blobs of the model. */
  size: number;
  architecture: string | null;
  quantization: string | null;
  /** Human parameter count as packaged, e.g. "1B", "135M". */
  parameters: string | null;
  contextLength: number | null;
  /**
   * Where it came from: a registry host, "huggingface", or "local" (imported/packaged); for a model used
   * in place from another tool's folder, that tool: "ollama", "lmstudio", "huggingface-cache",
   * "llama-cpp-cache", "docker-model-runner", "jan" or "folder".
   */
  source: string;
  /** Set only for a model used in place: the other tool's folder it is read from (never written to). */
  location?: string;
  /** For a model used in place: memory it needs at the default context (from its GGUF header) and the fit here. */
  memory?: { estimateBytes: number; fit: MemoryFit };
  createdAt: string;
  lastUsedAt: string | null;
}

export interface ModelSummary extends InstalledModel {
  loaded: boolean;
  /** While loaded: what it holds in memory and when it unloads. */
  runtime?: LoadedRuntime;
}

export interface LoadedRuntime {
  /** Bytes it is estimated to hold in memory (weights and KV cache). */
  memoryBytes: number;
  contextSize: number;
  /** When it unloads unless used again (ms since the epoch); null while answering, or when kept loaded. */
  expiresAt: number | null;
  /** Requests it is answering now. */
  activeSequences: number;
  /** Where it runs: "cpu", "cuda", "metal", "vulkan". */
  backend: string;
  /** Where decoding reads the weights from: the mapped file, or the worker's own memory. */
  weights?: "mapped" | "memory";
}

export interface ModelList {
  models: ModelSummary[];
  /** Bytes the store uses on disk (blobs are shared between tags, so this can be less than the sum). */
  diskUsageBytes: number;
  /** Where models are stored. */
  storageDir: string;
}

export interface ModelDetails {
  model: ModelSummary;
  /** GGUF header metadata (large arrays summarized). */
  metadata: Record<string, string | number | boolean>;
  files: string[];
  chatTemplate: string | null;
  license: string | null;
  systemPrompt: string | null;
}

/** Display names of the tools whose models are used in place (InstalledModel.source when `location` is set). */
export const IN_PLACE_SOURCE_LABELS: Readonly<Record<string, string>> = {
  ollama: "Ollama",
  lmstudio: "LM Studio",
  "huggingface-cache": "Hugging Face cache",
  "llama-cpp-cache": "llama.cpp cache",
  "docker-model-runner": "Docker Model Runner",
  jan: "Jan",
  folder: "Folder",
};

/** Model references: registry/name:tag, hf.co/user/repo:QUANT, or short forms. */
export const modelRef = v.string({ min: 1, max: 512 });
const refParams = v.object({ ref: modelRef });

export const modelMethods = {
  "models.list": noParams,
  "models.inspect": refParams,
  "models.load": refParams,
  "models.unload": refParams,
  "models.delete": refParams,
  /** Without `overwrite: true`, a target that names another model is refused with code "conflict". */
  "models.tag": v.object({ source: modelRef, target: modelRef, overwrite: v.optional(v.boolean()) }),
  "models.push": v.object({ ref: modelRef, target: v.optional(modelRef) }),
  "models.adopt": refParams,
} satisfies Record<string, Validator<unknown>>;

export interface ModelMethodResults {
  "models.list": ModelList;
  "models.inspect": ModelDetails;
  "models.load": { ref: string };
  "models.unload": { ref: string };
  "models.delete": { ref: string };
  "models.tag": { ref: string };
  "models.push": { ref: string; digest: string | null };
  /** A model used in place, now in Hangar's store: `copiedBytes` 0 when the filesystem cloned every file. */
  "models.adopt": { ref: string; copiedBytes: number; reflinked: number };
}
