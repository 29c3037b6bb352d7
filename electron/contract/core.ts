/**
 * The operations of the core app (runner, catalog, models, downloads, settings), merged into one table
 * of methods and one of streams. api.ts merges these with the chat and logs tables.
 */
import { runnerMethods, runnerStreams, type RunnerMethodResults, type RunnerStreamEvents } from "./runner.ts";
import { catalogMethods, type CatalogMethodResults } from "./catalog.ts";
import { modelMethods, type ModelMethodResults } from "./models.ts";
import {
  downloadMethods,
  downloadStreams,
  type DownloadMethodResults,
  type DownloadStreamEvents,
} from "./downloads.ts";
import { settingsMethods, type SettingsMethodResults } from "./settings.ts";

export const coreMethods = {
  ...runnerMethods,
  ...catalogMethods,
  ...modelMethods,
  ...downloadMethods,
  ...settingsMethods,
};

export interface CoreMethodResults
  extends
    RunnerMethodResults,
    CatalogMethodResults,
    ModelMethodResults,
    DownloadMethodResults,
    SettingsMethodResults {}

export const coreStreams = {
  ...runnerStreams,
  ...downloadStreams,
};

export interface CoreStreamEvents extends RunnerStreamEvents, DownloadStreamEvents {}
