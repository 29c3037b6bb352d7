/**
 * What the rest of the runner needs from its models. The runner composes ModelLibrary from the store,
 * the models other tools keep (discovery/library.ts) and its pull queue; the engine, the HTTP APIs, the
 * bridge and the CLI depend on this interface only.
 */

import type { InstalledModel } from "../contract/models.ts";

export type { InstalledModel, ModelFormat } from "../contract/models.ts";

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
  /** While downloading: the blob being fetched now (blobs come one after another). */
  layer?: { digest: string; totalBytes: number; completedBytes: number };
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
  /**
   * Gives a model another reference. A target that names another model is replaced, as `docker tag`
   * does, unless `overwrite` is false: then it throws TagConflictError and nothing changes.
   */
  tag(source: string, target: string, options?: TagOptions): Promise<void>;
  /** Records use, for "last used" and LRU displays. */
  touch(ref: string): Promise<void>;
}

export interface TagOptions {
  /** Replace a target that names another model (default true, Docker's semantics). */
  overwrite?: boolean;
}

/** A tag refused because its target already names another model. */
export class TagConflictError extends Error {
  readonly code = "conflict";
  constructor(
    readonly target: string,
    /** The model the target names now. */
    readonly existing: InstalledModel,
  ) {
    super(`${target} already names another model; replace it to give that name to this one`);
    this.name = "TagConflictError";
  }
}

export class ModelNotFoundError extends Error {
  readonly code = "not_found";
  constructor(readonly ref: string) {
    super(`model "${ref}" is not installed (pull it first: hangar pull ${ref})`);
    this.name = "ModelNotFoundError";
  }
}
