/** The store the CLI works on: `$HANGAR_HOME/models`, the same one the desktop app uses. */
import { ModelStore } from "../runner/store/model-store.ts";

export function openStore(env: NodeJS.ProcessEnv = process.env): ModelStore {
  return new ModelStore({ root: ModelStore.defaultRoot(env) });
}

/** Cancels on Ctrl-C (the partial download stays for the next pull to resume). */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error("interrupted; run the same command again to resume"));
  process.once("SIGINT", onSigint);
  return { signal: controller.signal, dispose: () => process.off("SIGINT", onSigint) };
}
