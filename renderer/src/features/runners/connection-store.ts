/**
 * Which runner the app works with (Settings → Runners): this computer's or a remote one. Only the
 * desktop app answers `connection.*`; a page served by a runner works with that runner and says so.
 */
import { createStore } from "zustand/vanilla";
import type { Bridge, RunnerConnection } from "../../../../electron/contract/index.ts";
import { callOrThrow, messageOf } from "../../shared/call.ts";

export interface ConnectionState {
  /** null until loaded, or where the host has no choice of runner (a page served by a runner). */
  connection: RunnerConnection | null;
  available: boolean;
  saving: boolean;
  error: string | null;
  load(): Promise<void>;
  /** Switches runners; on success the page reloads so every screen starts over on the new one. */
  choose(choice: { kind: "local" } | { kind: "remote"; url: string; apiKey: string }): Promise<boolean>;
}

export function createConnectionStore(bridge: Bridge, reload: () => void = () => location.reload()) {
  return createStore<ConnectionState>()((set) => ({
    connection: null,
    available: true,
    saving: false,
    error: null,
    async load() {
      const result = await bridge.call("connection.get", undefined);
      if (result.ok) set({ connection: result.value, available: true });
      else set({ connection: null, available: result.error.code !== "unavailable" });
    },
    async choose(choice) {
      set({ saving: true, error: null });
      try {
        const connection = await callOrThrow(bridge, "connection.set", choice);
        set({ connection, saving: false });
        reload();
        return true;
      } catch (error) {
        set({ saving: false, error: messageOf(error) });
        return false;
      }
    },
  }));
}
