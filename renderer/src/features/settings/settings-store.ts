/**
 * Settings: loaded from the runner, saved through it. A patch is checked first with the contract's
 * settings rules (the ones the runner starts with), including the rule that joins host and API keys, so
 * a value that would stop Hangar from starting is refused at once, at its field; whatever the runner
 * still rejects is shown at its field too when the message names one.
 */
import { createStore } from "zustand/vanilla";
import {
  RESTART_SETTINGS,
  settingsConflict,
  settingsPatch,
  type Bridge,
  type Settings,
  type SettingsPatch,
} from "../../../../electron/contract/index.ts";
import { callOrThrow, messageOf } from "../../shared/call.ts";

/** A problem with one setting: "settings.port must be …" becomes { port: "must be …" }. */
export type FieldErrors = Partial<Record<keyof Settings, string>>;

export interface SettingsState {
  settings: Settings | null;
  saving: boolean;
  /** A problem no single field owns (or the last load's failure). */
  error: string | null;
  fieldErrors: FieldErrors;
  savedAt: number | null;
  /** Settings changed since Hangar started that the runner reads only at start. */
  restartPending: (keyof Settings)[];
  /** A restart of the runner is in flight. */
  restarting: boolean;
  /** When the last restart asked from here finished. */
  restartedAt: number | null;
  load(): Promise<void>;
  save(patch: SettingsPatch): Promise<boolean>;
  /**
   * Stops and starts the runner so the settings read at start apply. The address cannot move while
   * the runner's own listener serves this page (`hangar serve`): host and port then stay pending.
   */
  restartRunner(): Promise<void>;
}

/** Whether the runner listens where the settings say (a port of 0 takes any free port). */
function listensAt(url: string | null, settings: Settings): boolean {
  if (!url) return false;
  const { hostname, port } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, "");
  return host === settings.host && (settings.port === 0 || Number(port) === settings.port);
}

/** Splits the rules' message ("settings.port must be …", "settings.apiKeys[0] must …") by field. */
export function fieldErrorOf(message: string): FieldErrors | null {
  const m = /^settings\.([A-Za-z]+)(?:\[\d+\])?\s+(.*)$/s.exec(message);
  return m ? { [m[1]!]: m[2]! } : null;
}

export function createSettingsStore(bridge: Bridge, now: () => number = Date.now) {
  return createStore<SettingsState>()((set, get) => ({
    settings: null,
    saving: false,
    error: null,
    fieldErrors: {},
    savedAt: null,
    restartPending: [],
    restarting: false,
    restartedAt: null,
    restartRunner: async () => {
      set({ restarting: true, error: null });
      try {
        await callOrThrow(bridge, "runner.stop", {});
        const status = await callOrThrow(bridge, "runner.start", {});
        const settings = get().settings;
        const moved = !!settings && listensAt(status.url, settings);
        set({
          restartPending: get().restartPending.filter((k) => (k === "host" || k === "port") && !moved),
          restartedAt: now(),
        });
      } catch (error) {
        set({ error: messageOf(error) });
      } finally {
        set({ restarting: false });
      }
    },
    load: async () => {
      try {
        set({ settings: await callOrThrow(bridge, "settings.get", {}), error: null });
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },
    save: async (patch) => {
      set({ saving: true, error: null, fieldErrors: {} });
      try {
        const checked = settingsPatch(patch, "settings");
        const current = get().settings;
        const conflict = current && settingsConflict({ ...current, ...checked } as Settings);
        if (conflict) throw new Error(conflict);
        const saved = await callOrThrow(bridge, "settings.update", checked);
        // What the user changed (the runner answers with the settings in effect, which flags may override).
        const changed = RESTART_SETTINGS.filter(
          (key) => current && key in checked && JSON.stringify(current[key]) !== JSON.stringify(checked[key]),
        );
        const restartPending = [...new Set([...get().restartPending, ...changed])];
        set({ settings: saved, savedAt: now(), restartPending });
        return true;
      } catch (error) {
        const message = messageOf(error);
        const fieldErrors = fieldErrorOf(message);
        set(fieldErrors ? { fieldErrors } : { error: message });
        return false;
      } finally {
        set({ saving: false });
      }
    },
  }));
}
