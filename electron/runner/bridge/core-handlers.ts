/** Bridge handlers for the core operations: runner, catalog, models, downloads and settings. */
import type { LoadedRuntime, ModelSummary } from "../../contract/models.ts";
import type { LoadedModelInfo } from "../engine/types.ts";
import type { InstalledModel } from "../models.ts";
import type { CoreServices } from "./core-services.ts";
import type { Handlers } from "./dispatcher.ts";
import { canonicalReference, pullSource } from "../artifact/reference.ts";
import { humanErrorMessage } from "../distribution/network-errors.ts";

class UnavailableError extends Error {
  readonly code = "unavailable";
}

const runtimeOf = (m: LoadedModelInfo): LoadedRuntime => ({
  memoryBytes: m.memoryBytes,
  contextSize: m.contextSize,
  expiresAt: m.expiresAt,
  activeSequences: m.activeSequences,
  backend: m.backend,
  ...(m.weights ? { weights: m.weights } : {}),
});

export function coreHandlers(s: CoreServices): Handlers {
  const loadedRefs = () =>
    new Map((s.engine()?.loaded() ?? []).map((m): [string, LoadedRuntime] => [m.ref, runtimeOf(m)]));
  const summary = (m: InstalledModel, loaded: Map<string, LoadedRuntime>): ModelSummary => {
    const runtime = loaded.get(m.ref);
    return { ...m, loaded: runtime !== undefined, ...(runtime ? { runtime } : {}) };
  };
  const engine = () => {
    const e = s.engine();
    if (!e) throw new UnavailableError("the runner is stopped: start it to load models");
    return e;
  };
  const find = async (ref: string) => {
    const resolved = await s.library.resolve(ref);
    return summary(resolved, loadedRefs());
  };

  return {
    methods: {
      "runner.status": () => s.runner.status(),
      "runner.start": async () => {
        await s.runner.start();
        return s.runner.status();
      },
      "runner.stop": async () => {
        await s.runner.stop();
        return s.runner.status();
      },

      "catalog.list": async () => ({ entries: await s.catalog.list() }),
      "catalog.search": ({ query, limit }) => s.catalog.search(query, limit ?? 20),
      "catalog.details": ({ id }) => s.catalog.details(id),

      "models.list": async () => {
        const loaded = loadedRefs();
        const models = (await s.library.list()).map((m) => summary(m, loaded));
        return { models, diskUsageBytes: await s.storage.diskUsageBytes(), storageDir: s.storage.dir };
      },
      "models.inspect": async ({ ref }) => ({ model: await find(ref), ...(await s.inspect(ref)) }),
      "models.load": async ({ ref }) => {
        const { ref: canonical } = await s.library.resolve(ref);
        await engine().load(canonical);
        return { ref: canonical };
      },
      "models.unload": async ({ ref }) => {
        const { ref: canonical } = await s.library.resolve(ref);
        await s.engine()?.unload(canonical);
        return { ref: canonical };
      },
      "models.delete": async ({ ref }) => {
        const { ref: canonical } = await s.library.resolve(ref);
        // A loaded model keeps its weights open: unload first so the blobs can go.
        await s.engine()?.unload(canonical);
        await s.library.remove(canonical);
        return { ref: canonical };
      },
      // The app asks before replacing a model: only an explicit overwrite moves a name in use.
      "models.tag": async ({ source, target, overwrite }) => {
        await s.library.tag(source, target, { overwrite: overwrite === true });
        return { ref: canonicalReference(target) };
      },
      "models.adopt": async ({ ref }) => {
        if (!s.adopt) throw new UnavailableError("this runner does not use other tools' models");
        return s.adopt(ref);
      },
      "models.push": async ({ ref, target }) => {
        if (!s.push) throw new UnavailableError("pushing is not available in this runner");
        try {
          const { digest } = await s.push(ref, target ?? ref);
          return { ref: target ?? ref, digest };
        } catch (error) {
          // "connect ECONNREFUSED 127.0.0.1:5000" becomes a sentence; the code still picks the error kind.
          throw Object.assign(new Error(humanErrorMessage(error)), {
            code: (error as { code?: unknown } | null)?.code,
          });
        }
      },

      "pull.start": ({ ref }) => s.downloads.start(ref),
      "pull.pause": ({ id }) => s.downloads.pause(id),
      "pull.resume": ({ id }) => s.downloads.resume(id),
      "pull.cancel": ({ id }) => s.downloads.cancel(id),
      "downloads.list": () => ({ downloads: s.downloads.list() }),
      "downloads.clear": ({ ids }) => ({ removed: s.downloads.clear(ids) }),
      "pull.resolve": ({ ref }) => pullSource(ref),

      "settings.get": () => s.settings.get(),
      "settings.update": (patch) => s.settings.update(patch),
    },
    streams: {
      "runner.status": (_params, sink) => {
        sink.snapshot(s.runner.status());
        return s.runner.onStatus(() => sink.delta(s.runner.status()));
      },
      downloads: (_params, sink) => {
        sink.snapshot({ downloads: s.downloads.list() });
        const offChange = s.downloads.onChange((d) => sink.delta(d));
        const offRemoved = s.downloads.onRemoved((removed) => sink.delta({ removed }));
        return () => {
          offChange();
          offRemoved();
        };
      },
    },
  };
}
