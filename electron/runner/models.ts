/**
 * What the rest of the runner needs from the model store. The store (electron/runner/store) implements
 * ModelLibrary; the engine, the HTTP APIs, the bridge and the CLI depend on this interface only.
 */

export type ModelFormat = "docker" | "cncf" | "ollama" | "huggingface" | "gguf";

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
  /** Where it came from: a registry host, "huggingface", or "local" (imported/packaged). */
  source: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface ResolvedModel extends InstalledModel {
  /** Paths of the GGUF weight files in shard order (the first is what node-llama-cpp loads). */
  ggufPaths: string[];
  mmprojPath: string | null;
  /** Jinja chat template packaged with the model, if any (Ollama Go templates are not included). */
  chatTemplate: string | null;
  /** Default request options packaged with the model (Ollama "params" layer), if any. */
  params: Record<string, unknown> | null;
  systemPrompt: string | null;
  license: string | null;
}

export interface PullProgress {
  ref: string;
  /** "resolving" → "downloading" → "verifying" → "done"; "error" ends a failed pull. */
  phase: "resolving" | "downloading" | "verifying" | "done" | "error";
  completedBytes: number;
  totalBytes: number;
  /** Bytes per second over the last few seconds. */
  bytesPerSecond: number;
  /** Seconds left at the current speed; null when unknown. */
  etaSeconds: number | null;
  message?: string;
}

export interface ModelLibrary {
  list(): Promise<InstalledModel[]>;
  /** Throws ModelNotFoundError when the reference is not installed. Accepts short forms ("smollm2:135M-Q4_K_M"). */
  resolve(ref: string): Promise<ResolvedModel>;
  pull(
    ref: string,
    options?: { signal?: AbortSignal; onProgress?: (p: PullProgress) => void },
  ): Promise<InstalledModel>;
  remove(ref: string): Promise<void>;
  tag(source: string, target: string): Promise<void>;
  /** Records use, for "last used" and LRU displays. */
  touch(ref: string): Promise<void>;
}

export class ModelNotFoundError extends Error {
  readonly code = "not_found";
  constructor(readonly ref: string) {
    super(`model "${ref}" is not installed (pull it first: hangar pull ${ref})`);
    this.name = "ModelNotFoundError";
  }
}
