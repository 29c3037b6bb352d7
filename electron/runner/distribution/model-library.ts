/**
 * The ModelLibrary the engine, HTTP APIs, bridge and CLI use: what is installed comes from the store,
 * pulls go through the given function (the runner's pull queue, or a direct pull in the CLI).
 */
import type { ModelLibrary } from "../models.ts";
import type { ModelStore } from "../store/model-store.ts";

export function modelLibrary(store: ModelStore, pull: ModelLibrary["pull"]): ModelLibrary {
  return {
    list: () => store.list(),
    resolve: (ref) => store.resolve(ref),
    pull,
    remove: (ref) => store.remove(ref),
    tag: (source, target) => store.tag(source, target),
    touch: (ref) => store.touch(ref),
  };
}
