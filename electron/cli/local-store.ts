/**
 * The store the CLI works on: `$HANGAR_HOME/models`, the same one the desktop app uses, or
 * `$HANGAR_MODELS_DIR` (as the runner's `modelsDir` setting from the environment).
 */
import { ModelStore } from "../runner/store/model-store.ts";
import { hangarHome } from "../runner/paths.ts";
import { loadUsableSettings } from "../runner/settings/settings-file.ts";
import { ModelDiscovery } from "../runner/discovery/discovery.ts";
import { LibraryWithDiscovery } from "../runner/discovery/library.ts";
import { pullModel } from "../runner/distribution/pull.ts";

export function openStore(env: NodeJS.ProcessEnv = process.env): ModelStore {
  return new ModelStore({ root: env.HANGAR_MODELS_DIR || ModelStore.defaultRoot(env) });
}

/** The store plus the models other tools keep on this computer, as the runner sees them. */
export async function openLibrary(env: NodeJS.ProcessEnv = process.env): Promise<LibraryWithDiscovery> {
  const { settings } = await loadUsableSettings(hangarHome(env), {}, env);
  const discovery = new ModelDiscovery({
    env,
    settings: () => ({ disabled: settings.discoveryDisabled, folders: settings.discoveryFolders }),
  });
  const store = openStore(env);
  return new LibraryWithDiscovery(store, discovery, (ref, options) =>
    pullModel(store, ref, { env, ...options }),
  );
}

/** Cancels on Ctrl-C (the partial download stays for the next pull to resume). */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error("interrupted; run the same command again to resume"));
  process.once("SIGINT", onSigint);
  return { signal: controller.signal, dispose: () => process.off("SIGINT", onSigint) };
}
