/**
 * Every store of the app, created here and nowhere else: one set per Bridge, provided through React
 * context, so each window and each test gets fresh ones. Each is a whole vanilla zustand store of its
 * feature. They live as long as the page, so leaving a screen neither stops a chat reply nor loses the
 * log filters.
 */
import type { Bridge } from "../../../electron/contract/index.ts";
import { createRunnerStore } from "../features/runner/runner-store.ts";
import { createDownloadsStore } from "../features/downloads/downloads-store.ts";
import { createModelsStore } from "../features/models/models-store.ts";
import { createCatalogStore } from "../features/catalog/catalog-store.ts";
import { createSettingsStore } from "../features/settings/settings-store.ts";
import { createChatStore } from "../features/chat/chat-store.ts";
import { createLogStore } from "../features/logs/log-store.ts";
import { createConnectionStore } from "../features/runners/connection-store.ts";
import { createNavigationStore } from "./navigation-store.ts";

export function createAppStores(bridge: Bridge) {
  const stores = {
    runner: createRunnerStore(bridge),
    downloads: createDownloadsStore(bridge),
    models: createModelsStore(bridge),
    catalog: createCatalogStore(bridge),
    settings: createSettingsStore(bridge),
    chat: createChatStore(bridge),
    logs: createLogStore(bridge),
    connection: createConnectionStore(bridge),
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
