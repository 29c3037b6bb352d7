/** Runner lifecycle: status, start/stop, and a status stream (tray, status indicator). */
import { noParams, type Validator } from "./validate.ts";

export type RunnerState = "running" | "stopped" | "starting" | "stopping";

export interface RunnerStatus {
  state: RunnerState;
  version: string;
  /** Base URL of the HTTP API while it runs, e.g. http://127.0.0.1:11987 */
  url: string | null;
  /** Number of requests currently generating. */
  busy: number;
  loadedModels: string[];
  /** Inference backend in use: "cpu", "cuda", "metal", "vulkan"; null before the first load. */
  backend: string | null;
  /**
   * Saved settings the runner set aside when it started because they break a rule (their defaults
   * are used instead), one message each; empty once a save has written good settings back.
   */
  settingsProblems: string[];
}

export const runnerMethods = {
  "runner.status": noParams,
  "runner.start": noParams,
  "runner.stop": noParams,
} satisfies Record<string, Validator<unknown>>;

export interface RunnerMethodResults {
  "runner.status": RunnerStatus;
  "runner.start": RunnerStatus;
  "runner.stop": RunnerStatus;
}

export const runnerStreams = {
  "runner.status": noParams,
} satisfies Record<string, Validator<unknown>>;

export interface RunnerStreamEvents {
  "runner.status": { snapshot: RunnerStatus; delta: RunnerStatus };
}
