/** Installed models and the actions on them; every action refreshes the list from the runner. */
import { createStore } from "zustand/vanilla";
import type { Bridge, ModelDetails, ModelList } from "../../../../electron/contract/index.ts";
import { BridgeCallError } from "../../../../electron/contract/result.ts";
import { callOrThrow, messageOf } from "../../shared/call.ts";
import { formatBytes } from "../../shared/format.ts";

/** What a Tag or Push form hears back: done, or refused with the runner's code and message. */
export type FormOutcome = { ok: true } | { ok: false; code: string; message: string };

export interface ModelsState {
  list: ModelList | null;
  loading: boolean;
  /** Reference an action is running on (load, unload, delete, ...). */
  busyRef: string | null;
  error: string | null;
  notice: string | null;
  details: ModelDetails | null;
  refresh(): Promise<void>;
  load(ref: string): Promise<void>;
  unload(ref: string): Promise<void>;
  remove(ref: string): Promise<void>;
  /**
   * Tags without replacing another model unless `overwrite`; the outcome comes back to the form (which
   * stays open on a refusal) rather than into the screen's banner.
   */
  tag(source: string, target: string, overwrite?: boolean): Promise<FormOutcome>;
  push(ref: string, target: string): Promise<FormOutcome>;
  /** Clears the banner: a new action starts without the last one's error. */
  dismiss(): void;
  /** Brings a model used in place into Hangar's store (reflink or verified copy). */
  adopt(ref: string): Promise<void>;
  inspect(ref: string): Promise<void>;
  closeDetails(): void;
}

export function createModelsStore(bridge: Bridge) {
  return createStore<ModelsState>()((set, get) => {
    const act = async (ref: string, fn: () => Promise<unknown>, notice: string) => {
      set({ busyRef: ref, error: null, notice: null });
      try {
        await fn();
        set({ notice });
        await get().refresh();
      } catch (error) {
        set({ error: messageOf(error) });
      } finally {
        set({ busyRef: null });
      }
    };
    const formAction = async (ref: string, fn: () => Promise<string>): Promise<FormOutcome> => {
      set({ busyRef: ref, error: null, notice: null });
      try {
        set({ notice: await fn() });
        await get().refresh();
        return { ok: true };
      } catch (error) {
        const code = error instanceof BridgeCallError ? error.error.code : "internal";
        return { ok: false, code, message: messageOf(error) };
      } finally {
        set({ busyRef: null });
      }
    };
    return {
      list: null,
      loading: false,
      busyRef: null,
      error: null,
      notice: null,
      details: null,
      refresh: async () => {
        set({ loading: true });
        try {
          set({ list: await callOrThrow(bridge, "models.list", {}) });
        } catch (error) {
          set({ error: messageOf(error) });
        } finally {
          set({ loading: false });
        }
      },
      load: (ref) => act(ref, () => callOrThrow(bridge, "models.load", { ref }), `Loaded ${ref}`),
      unload: (ref) => act(ref, () => callOrThrow(bridge, "models.unload", { ref }), `Unloaded ${ref}`),
      remove: (ref) => act(ref, () => callOrThrow(bridge, "models.delete", { ref }), `Deleted ${ref}`),
      tag: (source, target, overwrite) =>
        formAction(source, async () => {
          const { ref } = await callOrThrow(bridge, "models.tag", {
            source,
            target,
            ...(overwrite ? { overwrite } : {}),
          });
          return `Tagged ${source} as ${ref}`;
        }),
      push: (ref, target) =>
        formAction(ref, async () => {
          await callOrThrow(bridge, "models.push", { ref, target });
          return `Pushed ${ref} to ${target}`;
        }),
      dismiss: () => set({ error: null, notice: null }),
      adopt: async (ref) => {
        let how = "";
        await act(
          ref,
          async () => {
            const r = await callOrThrow(bridge, "models.adopt", { ref });
            how = r.copiedBytes === 0 ? "cloned, 0 bytes copied" : `${formatBytes(r.copiedBytes)} copied`;
          },
          `Added ${ref} to Hangar`,
        );
        if (how && !get().error) set({ notice: `Added ${ref} to Hangar (${how}, sha256 verified)` });
      },
      inspect: async (ref) => {
        set({ error: null });
        try {
          set({ details: await callOrThrow(bridge, "models.inspect", { ref }) });
        } catch (error) {
          set({ error: messageOf(error) });
        }
      },
      closeDetails: () => set({ details: null }),
    };
  });
}
