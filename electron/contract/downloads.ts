/** Downloads (pulls) with pause, resume and cancel, and a stream of their progress. */
import { noParams, v, type Validator } from "./validate.ts";
import { modelRef } from "./models.ts";

export type DownloadState = "running" | "paused" | "done" | "error" | "cancelled";

export interface Download {
  id: string;
  ref: string;
  state: DownloadState;
  phase: "resolving" | "downloading" | "verifying" | "done" | "error";
  completedBytes: number;
  totalBytes: number;
  bytesPerSecond: number;
  /** Seconds left at the current speed; null when unknown. */
  etaSeconds: number | null;
  /** Why it failed, in words a user can act on. */
  error: string | null;
  /** Set on a failed download: false when trying again cannot help (a model that does not exist, say). */
  retryable?: boolean;
  startedAt: number;
  updatedAt: number;
}

const idParams = v.object({ id: v.string({ min: 1, max: 100 }) });

export const downloadMethods = {
  "pull.start": v.object({ ref: modelRef }),
  "pull.pause": idParams,
  "pull.resume": idParams,
  "pull.cancel": idParams,
  "downloads.list": noParams,
  /** Forgets finished downloads (done, cancelled, failed): those listed, or all; running ones stay. */
  "downloads.clear": v.object({ ids: v.optional(v.array(v.string({ min: 1, max: 100 }), { max: 1000 })) }),
  /** Where a reference pulls from, before pulling: refused with the parser's reason when malformed. */
  "pull.resolve": v.object({ ref: modelRef }),
} satisfies Record<string, Validator<unknown>>;

export interface DownloadMethodResults {
  "pull.start": Download;
  "pull.pause": Download;
  "pull.resume": Download;
  "pull.cancel": Download;
  "downloads.list": { downloads: Download[] };
  "downloads.clear": { removed: string[] };
  "pull.resolve": PullSource;
}

/** Where a reference resolves to: `gemma3:1b` → Docker Hub, docker.io/ai/gemma3:1b. */
export interface PullSource {
  /** The canonical reference, as the model will be listed. */
  ref: string;
  /** Who serves it, in words: "Docker Hub", "Ollama library", "Hugging Face", or the registry host. */
  registry: string;
  /** The full address: host, repository and tag (or Hugging Face repository and quantization). */
  address: string;
}

/** A delta of the downloads stream that removes rows (cleared, or dropped as the oldest finished). */
export interface DownloadsRemoved {
  removed: string[];
}

export const downloadStreams = {
  downloads: noParams,
} satisfies Record<string, Validator<unknown>>;

export interface DownloadStreamEvents {
  /** Snapshot: every known download. Delta: one download's new state (added or changed). */
  downloads: { snapshot: { downloads: Download[] }; delta: Download | DownloadsRemoved };
}
