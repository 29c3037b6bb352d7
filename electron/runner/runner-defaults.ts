/** The production store and engine a runner uses unless an embedder injects its own. */
import { recordUse } from "./last-used.ts";
import { join } from "node:path";
import { Scheduler } from "./engine/scheduler.ts";
import type { Engine } from "./engine/types.ts";
import type { WorkerLaunchOptions } from "./engine/worker-client.ts";
import type { Logger } from "./logs/types.ts";
import type { ModelLibrary } from "./models.ts";
import type { Settings } from "./settings/settings.ts";
import { ModelStore } from "./store/model-store.ts";
import { ModelDiscovery } from "./discovery/discovery.ts";

export function createDefaultStore(home: string, settings: Settings): ModelStore {
  return new ModelStore({ root: settings.modelsDir ?? join(home, "models") });
}

/** The models other tools keep on this computer, read with the runner's current settings. */
export function createDiscovery(env: NodeJS.ProcessEnv, settings: () => Settings): ModelDiscovery {
  return new ModelDiscovery({
    env,
    settings: () => ({ disabled: settings().discoveryDisabled, folders: settings().discoveryFolders }),
  });
}

/** The scheduler over worker processes; `launch` says how workers start (the desktop app forks Electron). */
export function createDefaultEngine(
  deps: { library: ModelLibrary; logger: Logger; settings: Settings },
  launch?: WorkerLaunchOptions,
): Engine {
  const s = deps.settings;
  return new Scheduler({
    resolveModel: (ref) => deps.library.resolve(ref),
    onUse: recordUse(deps.library),
    logger: deps.logger,
    ...(launch ? { launch } : {}),
    settings: {
      ...(s.threads !== null ? { threads: s.threads } : {}),
      gpu: s.gpu,
      useMmap: s.useMmap,
      parallel: s.parallel,
      contextSize: s.contextSize,
      keepAliveSeconds: s.keepAliveSeconds,
      logLevel: s.logLevel,
      ...(s.memoryBudgetBytes !== null ? { memoryBudgetBytes: s.memoryBudgetBytes } : {}),
    },
  });
}
