/** All stores of the app, created per Bridge (each test gets fresh ones). */
import type { Bridge } from "../../../electron/contract/index.ts";
import { createRunnerStore } from "./runner-store.ts";
import { createDownloadsStore } from "./downloads-store.ts";
import { createModelsStore } from "./models-store.ts";
import { createCatalogStore } from "./catalog-store.ts";
import { createSettingsStore } from "./settings-store.ts";
import { createNavigationStore } from "./navigation-store.ts";

export function createAppStores(bridge: Bridge) {
  const stores = {
    runner: createRunnerStore(bridge),
    downloads: createDownloadsStore(bridge),
    models: createModelsStore(bridge),
    catalog: createCatalogStore(bridge),
    settings: createSettingsStore(bridge),
    navigation: createNavigationStore(),
  };
  return stores;
}
export type AppStores = ReturnType<typeof createAppStores>;

/** Opens the app-wide streams; a finished download refreshes the model list. Returns the disconnect. */
export function connectAppStores(stores: AppStores): () => void {
  const stops = [
    stores.runner.getState().connect(),
    stores.downloads.getState().connect(),
    stores.downloads.getState().onFinished(() => void stores.models.getState().refresh()),
  ];
  return () => stops.forEach((stop) => stop());
}
