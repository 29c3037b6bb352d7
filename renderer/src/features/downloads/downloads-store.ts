/** Downloads: a snapshot of every download, then one delta per change, kept by id in arrival order. */
import { createStore } from "zustand/vanilla";
import type { Bridge, Download } from "../../../../electron/contract/index.ts";
import { callOrThrow, messageOf } from "../../shared/call.ts";

export interface DownloadsState {
  downloads: Download[];
  error: string | null;
  start(ref: string): Promise<Download | null>;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  cancel(id: string): Promise<void>;
  connect(): () => void;
  /** Listeners told when a download finishes, e.g. to refresh the model list. */
  onFinished(listener: (download: Download) => void): () => void;
}

export function createDownloadsStore(bridge: Bridge) {
  const finished = new Set<(d: Download) => void>();
  return createStore<DownloadsState>()((set, get) => {
    const upsert = (d: Download) => {
      const list = get().downloads;
      const i = list.findIndex((x) => x.id === d.id);
      const before = i >= 0 ? list[i] : undefined;
      set({ downloads: i >= 0 ? list.map((x) => (x.id === d.id ? d : x)) : [...list, d] });
      if (d.state === "done" && before?.state !== "done") for (const l of finished) l(d);
    };
    const act = async (fn: () => Promise<Download>) => {
      set({ error: null });
      try {
        const d = await fn();
        upsert(d);
        return d;
      } catch (error) {
        set({ error: messageOf(error) });
        return null;
      }
    };
    return {
      downloads: [],
      error: null,
      start: (ref) => act(() => callOrThrow(bridge, "pull.start", { ref })),
      pause: async (id) => void (await act(() => callOrThrow(bridge, "pull.pause", { id }))),
      resume: async (id) => void (await act(() => callOrThrow(bridge, "pull.resume", { id }))),
      cancel: async (id) => void (await act(() => callOrThrow(bridge, "pull.cancel", { id }))),
      connect: () =>
        bridge.subscribe("downloads", {}, (event) => {
          if (event.kind === "snapshot") set({ downloads: event.data.downloads });
          else if (event.kind === "delta") upsert(event.data);
          else if (event.kind === "error") set({ error: event.error.message });
        }),
      onFinished: (listener) => {
        finished.add(listener);
        return () => finished.delete(listener);
      },
    };
  });
}
