/** Downloads: a snapshot of every download, then one delta per change, kept by id in arrival order. */
import { createStore } from "zustand/vanilla";
import type { Bridge, Download, PullSource } from "../../../../electron/contract/index.ts";
import { callOrThrow, messageOf } from "../../shared/call.ts";

export interface DownloadsState {
  downloads: Download[];
  error: string | null;
  /** Starts a pull; a reference the runner refuses comes back as `{ refused }`, nothing is queued. */
  start(ref: string): Promise<Download | { refused: string }>;
  /** Where a reference would pull from, or why it cannot be pulled. */
  resolve(ref: string): Promise<PullSource | { refused: string }>;
  /** Forgets finished downloads: these ids, or all of them (the runner tells every window). */
  clear(ids?: string[]): Promise<void>;
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
    const remove = (ids: string[]) => {
      const gone = new Set(ids);
      set({ downloads: get().downloads.filter((d) => !gone.has(d.id)) });
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
      start: async (ref) => {
        set({ error: null });
        try {
          const d = await callOrThrow(bridge, "pull.start", { ref });
          upsert(d);
          return d;
        } catch (error) {
          return { refused: messageOf(error) };
        }
      },
      resolve: async (ref) => {
        try {
          return await callOrThrow(bridge, "pull.resolve", { ref });
        } catch (error) {
          return { refused: messageOf(error) };
        }
      },
      clear: async (ids) => {
        set({ error: null });
        try {
          const { removed } = await callOrThrow(bridge, "downloads.clear", ids ? { ids } : {});
          remove(removed);
        } catch (error) {
          set({ error: messageOf(error) });
        }
      },
      pause: async (id) => void (await act(() => callOrThrow(bridge, "pull.pause", { id }))),
      resume: async (id) => void (await act(() => callOrThrow(bridge, "pull.resume", { id }))),
      cancel: async (id) => void (await act(() => callOrThrow(bridge, "pull.cancel", { id }))),
      connect: () =>
        bridge.subscribe("downloads", {}, (event) => {
          if (event.kind === "snapshot") set({ downloads: event.data.downloads });
          else if (event.kind === "delta") {
            if ("removed" in event.data) remove(event.data.removed);
            else upsert(event.data);
          } else if (event.kind === "error") set({ error: event.error.message });
        }),
      onFinished: (listener) => {
        finished.add(listener);
        return () => finished.delete(listener);
      },
    };
  });
}
