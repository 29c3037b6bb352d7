/**
 * The catalog as the app sees it: curated entries, live search, and details with a memory fit per
 * variant. Details estimate from the download size (weights) plus a share for the KV cache and the
 * runtime's fixed overhead: reading each variant's GGUF header remotely would make opening a catalog
 * entry wait on the network, and offline it would fail.
 */
import { freemem, totalmem } from "node:os";
import type {
  CatalogDetails,
  CatalogEntry,
  CatalogSearchResult,
  VariantFit,
} from "../../contract/catalog.ts";
import { BASE_OVERHEAD_BYTES, memoryFit } from "../gguf/index.ts";
import { curatedModels, search, toCatalogEntry } from "./search.ts";

export interface CatalogService {
  list(): Promise<CatalogEntry[]>;
  search(query: string, limit: number): Promise<CatalogSearchResult>;
  details(id: string): Promise<CatalogDetails>;
}

/** KV cache and compute buffers at a default context, as a share of the weights (small models: 10–25%). */
const CONTEXT_SHARE = 0.2;

class CatalogNotFoundError extends Error {
  readonly code = "not_found";
}

export interface CatalogServiceOptions {
  /** Memory budget from settings; null: this machine's free memory. */
  memoryBudgetBytes: () => number | null;
  /** Hugging Face endpoint, token and fetch for live search (defaults: HF_ENDPOINT/HF_TOKEN, global fetch). */
  searchOptions?: Parameters<typeof search>[1];
  machine?: { totalBytes: () => number; freeBytes: () => number };
}

export function estimateFromSize(sizeBytes: number): number {
  return Math.round(sizeBytes * (1 + CONTEXT_SHARE)) + BASE_OVERHEAD_BYTES;
}

export function createCatalogService(options: CatalogServiceOptions): CatalogService {
  const machine = options.machine ?? { totalBytes: totalmem, freeBytes: freemem };
  const findEntry = async (id: string) => {
    const curated = curatedModels().find((m) => m.id === id);
    if (curated) return toCatalogEntry(curated);
    // Live search entries are identified by their reference (hf.co/user/repo).
    const found = await search(id, options.searchOptions);
    const entry = found.entries.find((e) => e.id === id);
    if (!entry)
      throw new CatalogNotFoundError(
        `no catalog entry ${id}${found.searchError ? ` (${found.searchError})` : ""}`,
      );
    return entry;
  };
  const memory = () => {
    const budget = options.memoryBudgetBytes();
    return { total: budget ?? machine.totalBytes(), free: budget ?? machine.freeBytes() };
  };
  const fitOf = (sizeBytes: number | null, m: { total: number; free: number }) =>
    sizeBytes === null ? null : memoryFit(estimateFromSize(sizeBytes), m.total, m.free);
  /** The card's badge: how the smallest variant of known size fits. */
  const withFit = (entries: CatalogEntry[]): CatalogEntry[] => {
    const m = memory();
    return entries.map((e) => {
      const sizes = e.variants.map((v) => v.sizeBytes).filter((x): x is number => x !== null);
      return { ...e, fit: sizes.length === 0 ? null : fitOf(Math.min(...sizes), m) };
    });
  };
  return {
    list: async () => withFit(curatedModels().map(toCatalogEntry)),
    search: async (query, limit) => {
      const result = await search(query, { ...options.searchOptions, limit } as Parameters<typeof search>[1]);
      return {
        entries: withFit(result.entries.slice(0, Math.max(limit, 0) + curatedModels().length)),
        searchError: result.searchError,
      };
    },
    details: async (id): Promise<CatalogDetails> => {
      const entry = await findEntry(id);
      const m = memory();
      const variants: VariantFit[] = entry.variants.map((v) => ({
        ...v,
        estimatedBytes: v.sizeBytes === null ? null : estimateFromSize(v.sizeBytes),
        fit: fitOf(v.sizeBytes, m),
      }));
      return { entry, variants, availableBytes: m.free };
    },
  };
}
