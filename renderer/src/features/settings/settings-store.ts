/** Settings: loaded from the runner, saved through it; the runner's rejection message is shown as is. */
import { createStore } from "zustand/vanilla";
import type { Bridge, Settings, SettingsPatch } from "../../../../electron/contract/index.ts";
import { callOrThrow, messageOf } from "../../shared/call.ts";

export interface SettingsState {
  settings: Settings | null;
  saving: boolean;
  error: string | null;
  savedAt: number | null;
  load(): Promise<void>;
  save(patch: SettingsPatch): Promise<boolean>;
}

export function createSettingsStore(bridge: Bridge, now: () => number = Date.now) {
  return createStore<SettingsState>()((set) => ({
    settings: null,
    saving: false,
    error: null,
    savedAt: null,
    load: async () => {
      try {
        set({ settings: await callOrThrow(bridge, "settings.get", {}), error: null });
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },
    save: async (patch) => {
      set({ saving: true, error: null });
      try {
        set({ settings: await callOrThrow(bridge, "settings.update", patch), savedAt: now() });
        return true;
      } catch (error) {
        set({ error: messageOf(error) });
        return false;
      } finally {
        set({ saving: false });
      }
    },
  }));
}
