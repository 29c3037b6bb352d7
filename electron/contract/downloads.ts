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
  error: string | null;
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
} satisfies Record<string, Validator<unknown>>;

export interface DownloadMethodResults {
  "pull.start": Download;
  "pull.pause": Download;
  "pull.resume": Download;
  "pull.cancel": Download;
  "downloads.list": { downloads: Download[] };
}

export const downloadStreams = {
  downloads: noParams,
} satisfies Record<string, Validator<unknown>>;

export interface DownloadStreamEvents {
  /** Snapshot: every known download. Delta: one download's new state (added or changed). */
  downloads: { snapshot: { downloads: Download[] }; delta: Download };
}
