import type { InstalledModel, PullProgress } from "../models.ts";
import type { ModelStore } from "../store/model-store.ts";

export interface PullOptions {
  signal?: AbortSignal;
  onProgress?: (p: PullProgress) => void;
}

export async function pullModel(
  _store: ModelStore,
  ref: string,
  _options: PullOptions = {},
): Promise<InstalledModel> {
  throw new Error(`pulling ${ref}: not available yet`);
}
