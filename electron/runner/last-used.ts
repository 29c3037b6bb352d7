/**
 * "Last used" for the Models screen and `hangar ls`: the engine reports each use of a model (a load, a
 * request) and this writes it to the store's index. A busy model would otherwise rewrite the index on
 * every request, so one model's use is written at most once per `everyMs`; a failed write (a model used
 * in place, deleted meanwhile) is not the request's problem and is dropped.
 */
import type { ModelLibrary } from "./models.ts";

export function recordUse(
  library: Pick<ModelLibrary, "touch">,
  options: { now?: () => number; everyMs?: number } = {},
): (ref: string) => void {
  const now = options.now ?? Date.now;
  const everyMs = options.everyMs ?? 60_000;
  const written = new Map<string, number>();
  return (ref) => {
    const at = now();
    const last = written.get(ref);
    if (last !== undefined && at - last < everyMs) return;
    written.set(ref, at);
    void library.touch(ref).catch(() => written.delete(ref));
  };
}
