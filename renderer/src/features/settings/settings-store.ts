/**
 * Settings: loaded from the runner, saved through it. A patch is checked first with the contract's
 * settings rules (the ones the runner applies), so a bad value is refused at once with the runner's own
 * message; whatever the runner still rejects is shown as is.
 */
import { createStore } from "zustand/vanilla";
import {
  settingsPatch,
  type Bridge,
  type Settings,
  type SettingsPatch,
} from "../../../../electron/contract/index.ts";
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
        const checked = settingsPatch(patch, "settings");
        set({ settings: await callOrThrow(bridge, "settings.update", checked), savedAt: now() });
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
