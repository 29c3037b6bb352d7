/**
 * The engine for the desktop app: the same scheduler as `hangar serve`, with inference workers forked
 * from Electron's own binary running as plain Node (ELECTRON_RUN_AS_NODE=1), so a native abort in
 * llama.cpp ends one worker, never the app. The variable is set for the workers only: Chromium's own
 * child processes must not inherit it.
 */
import { createDefaultEngine } from "../runner/runner-defaults.ts";
import type { Engine } from "../runner/engine/types.ts";
import type { Logger } from "../runner/logs/types.ts";
import type { ModelLibrary } from "../runner/models.ts";
import type { Settings } from "../runner/settings/settings.ts";

export function createElectronEngine(deps: {
  library: ModelLibrary;
  logger: Logger;
  settings: Settings;
}): Engine {
  return createDefaultEngine(deps, {
    execPath: process.execPath,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" },
  });
}
