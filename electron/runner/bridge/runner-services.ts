/** CoreServices from a running Runner: what the bridge handlers call. */
import { displayMetadata, readGgufSummary } from "../gguf/index.ts";
import type { Runner } from "../runner.ts";
import { publicSettings } from "../settings/settings.ts";
import type { Settings } from "../../contract/settings.ts";
import type { ModelDetails } from "../../contract/models.ts";
import { pushModel } from "../distribution/push-model.ts";
import { createCatalogService, type CatalogServiceOptions } from "../catalog/catalog-service.ts";
import type { CoreServices } from "./core-services.ts";

export function runnerServices(runner: Runner, catalog: Partial<CatalogServiceOptions> = {}): CoreServices {
  const store = runner.store;
  const env = runner.env;
  return {
    runner: {
      status: () => runner.status(),
      start: async () => void (await runner.start()),
      stop: () => runner.stop(),
      onStatus: (listener) => runner.onStatusChange(() => listener()),
    },
    library: runner.library,
    // Loading needs the runner up: stopping it unloads everything and must stay that way.
    engine: () => (runner.status().state === "running" ? runner.engine : null),
    downloads: runner.pulls,
    catalog: createCatalogService({
      memoryBudgetBytes: () => runner.settings().memoryBudgetBytes,
      ...catalog,
    }),
    settings: {
      get: async () => publicSettings(runner.settings()) as Settings,
      update: async (patch) => publicSettings(await runner.updateSettings(patch)) as Settings,
    },
    storage: {
      dir: store.root,
      diskUsageBytes: async () => (await store.usage()).blobBytes,
    },
    inspect: async (ref): Promise<Omit<ModelDetails, "model">> => {
      const resolved = await runner.library.resolve(ref);
      const first = resolved.ggufPaths[0];
      const metadata = first ? displayMetadata((await readGgufSummary(first)).metadata) : {};
      return {
        metadata,
        files: [...resolved.ggufPaths, ...(resolved.mmprojPath ? [resolved.mmprojPath] : [])],
        chatTemplate: resolved.chatTemplate,
        license: resolved.license,
        systemPrompt: resolved.systemPrompt,
      };
    },
    adopt: async (ref: string) => {
      const r = await runner.library.adopt(ref);
      return { ref: r.model.ref, copiedBytes: r.copiedBytes, reflinked: r.reflinked };
    },
    push: async (ref: string, target: string) => ({
      digest: (await pushModel(store, ref, { target, env })).digest,
    }),
  };
}
