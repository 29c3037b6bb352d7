/** Runner status (snapshot, then deltas from the runner.status stream) and the Start/Stop toggle. */
import { createStore } from "zustand/vanilla";
import type { Bridge, RunnerStatus } from "../../../../electron/contract/index.ts";
import { callOrThrow, messageOf } from "../../shared/call.ts";

export interface RunnerState {
  status: RunnerStatus | null;
  /** A start or stop is in flight. */
  toggling: boolean;
  error: string | null;
  /**
   * Whether the app reaches the runner (browser mode: the WebSocket; Electron's IPC is always "open").
   * While it is not, the last status is stale: the sidebar says "Reconnecting…" rather than "Running".
   */
  link: "connecting" | "open" | "closed";
  setLink(link: "connecting" | "open" | "closed"): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  toggle(): Promise<void>;
  /** Subscribes to the status stream; returns the unsubscribe. */
  connect(): () => void;
}

export function createRunnerStore(bridge: Bridge) {
  return createStore<RunnerState>()((set, get) => {
    const run = async (method: "runner.start" | "runner.stop") => {
      set({ toggling: true, error: null });
      try {
        set({ status: await callOrThrow(bridge, method, {}) });
      } catch (error) {
        set({ error: messageOf(error) });
      } finally {
        set({ toggling: false });
      }
    };
    return {
      status: null,
      toggling: false,
      error: null,
      link: "open",
      setLink: (link) => set({ link }),
      start: () => run("runner.start"),
      stop: () => run("runner.stop"),
      toggle: () => (get().status?.state === "running" ? get().stop() : get().start()),
      connect: () =>
        bridge.subscribe("runner.status", {}, (event) => {
          if (event.kind === "snapshot" || event.kind === "delta") set({ status: event.data });
          else if (event.kind === "error") set({ error: event.error.message });
        }),
    };
  });
}
