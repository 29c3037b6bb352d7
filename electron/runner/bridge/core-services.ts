/**
 * What the core bridge handlers need from the runner. The runner (runner.ts) provides these; tests
 * build them from real parts on a temp directory.
 */
import type { RunnerStatus } from "../../contract/runner.ts";
import type { Settings, SettingsPatch } from "../../contract/settings.ts";
import type { ModelDetails } from "../../contract/models.ts";
import type { ModelLibrary } from "../models.ts";
import type { CatalogService } from "../catalog/catalog-service.ts";
import type { Engine } from "../engine/types.ts";
import type { PullQueue } from "../distribution/pull-queue.ts";

export interface RunnerControl {
  status(): RunnerStatus;
  /** Starts the HTTP API and the engine; resolves when running. */
  start(): Promise<void>;
  /** Closes the HTTP API and unloads every model; downloads go on. */
  stop(): Promise<void>;
  /** Called on every state, busy or loaded-models change. */
  onStatus(listener: () => void): () => void;
}

export interface SettingsService {
  get(): Promise<Settings>;
  /** Validates, saves and applies; throws an error with code "invalid_request" on bad values. */
  update(patch: SettingsPatch): Promise<Settings>;
}

export interface StorageInfo {
  dir: string;
  diskUsageBytes(): Promise<number>;
}

export interface CoreServices {
  runner: RunnerControl;
  library: ModelLibrary;
  /** The engine while the runner runs; null when stopped. */
  engine(): Engine | null;
  /** The runner's pulls, whoever started them. */
  downloads: PullQueue;
  catalog: CatalogService;
  settings: SettingsService;
  storage: StorageInfo;
  /** GGUF metadata and packaged files of an installed model. */
  inspect(ref: string): Promise<Omit<ModelDetails, "model">>;
  /** Brings a model used in place into the store (reflink or verified copy); absent without discovery. */
  adopt?: (ref: string) => Promise<{ ref: string; copiedBytes: number; reflinked: number }>;
  /** Pushes an installed model to a registry; absent when the store cannot push. */
  push?: (ref: string, target: string) => Promise<{ digest: string | null }>;
}
