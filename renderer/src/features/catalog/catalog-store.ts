/** Catalog: curated entries, live Hugging Face search results, and the open details view. */
import { createStore } from "zustand/vanilla";
import type { Bridge, CatalogDetails, CatalogEntry } from "../../../../electron/contract/index.ts";
import { callOrThrow, messageOf } from "../../shared/call.ts";

export interface CatalogState {
  curated: CatalogEntry[];
  results: CatalogEntry[] | null;
  query: string;
  searching: boolean;
  /** The live search did not answer: said plainly, curated entries still shown. */
  searchError: string | null;
  error: string | null;
  details: CatalogDetails | null;
  detailsLoading: boolean;
  loadCurated(): Promise<void>;
  search(query: string): Promise<void>;
  openDetails(id: string): Promise<void>;
  closeDetails(): void;
}

export function createCatalogStore(bridge: Bridge) {
  return createStore<CatalogState>()((set, get) => ({
    curated: [],
    results: null,
    query: "",
    searching: false,
    searchError: null,
    error: null,
    details: null,
    detailsLoading: false,
    loadCurated: async () => {
      try {
        set({ curated: (await callOrThrow(bridge, "catalog.list", {})).entries, error: null });
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },
    search: async (query) => {
      const q = query.trim();
      set({ query: q, searchError: null });
      if (!q) return set({ results: null });
      set({ searching: true });
      try {
        const found = await callOrThrow(bridge, "catalog.search", { query: q, limit: 20 });
        // A slower answer to an older query must not replace the newer one.
        if (get().query === q) set({ results: found.entries, searchError: found.searchError });
      } catch (error) {
        if (get().query === q) set({ results: [], searchError: messageOf(error) });
      } finally {
        if (get().query === q) set({ searching: false });
      }
    },
    openDetails: async (id) => {
      set({ detailsLoading: true, error: null });
      try {
        set({ details: await callOrThrow(bridge, "catalog.details", { id }) });
      } catch (error) {
        set({ error: messageOf(error) });
      } finally {
        set({ detailsLoading: false });
      }
    },
    closeDetails: () => set({ details: null }),
  }));
}
