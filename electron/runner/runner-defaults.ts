/** The production store and engine a runner uses unless an embedder injects its own. */
import { join } from "node:path";
import { Scheduler } from "./engine/scheduler.ts";
import type { Engine } from "./engine/types.ts";
import type { Logger } from "./logs/types.ts";
import type { ModelLibrary } from "./models.ts";
import type { Settings } from "./settings/settings.ts";
import { ModelStore } from "./store/model-store.ts";

export function createDefaultLibrary(home: string, settings: Settings): ModelLibrary {
  return new ModelStore({ root: settings.modelsDir ?? join(home, "models") });
}

export function createDefaultEngine(deps: {
  library: ModelLibrary;
  logger: Logger;
  settings: Settings;
}): Engine {
  const s = deps.settings;
  return new Scheduler({
    resolveModel: (ref) => deps.library.resolve(ref),
    logger: deps.logger,
    settings: {
      ...(s.threads !== null ? { threads: s.threads } : {}),
      gpu: s.gpu,
      useMmap: s.useMmap,
      parallel: s.parallel,
      contextSize: s.contextSize,
      keepAliveSeconds: s.keepAliveSeconds,
      ...(s.memoryBudgetBytes !== null ? { memoryBudgetBytes: s.memoryBudgetBytes } : {}),
    },
  });
}
