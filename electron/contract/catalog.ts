/** The model catalog: curated entries plus live Hugging Face search, with memory fit for this machine. */
import { noParams, v, type Validator } from "./validate.ts";

/** "fits": comfortably in the memory budget; "tight": fits with little headroom; "too_large": does not fit. */
export type MemoryFit = "fits" | "tight" | "too_large";

export interface CatalogVariant {
  /** e.g. "Q4_K_M", "Q8_0", "F16" */
  quantization: string;
  /** Download size in bytes; null when unknown. */
  sizeBytes: number | null;
  /** The size is estimated from parameters and quantization, not stated by the source. */
  sizeEstimated?: boolean;
  /** References this variant can be pulled by, best first (Docker Hub ai/*, Ollama, hf.co/...). */
  refs: string[];
}

export interface CatalogEntry {
  id: string;
  name: string;
  description: string;
  /** "curated" entries come with Hangar; "huggingface" entries come from a live search. */
  origin: "curated" | "huggingface";
  parameters: string | null;
  contextLength: number | null;
  license: string | null;
  tags: string[];
  variants: CatalogVariant[];
  /**
   * How the smallest variant of known size fits this machine's memory (catalog list and search); null
   * when no size is known (a Hugging Face search hit).
   */
  fit?: MemoryFit | null;
  /** Hugging Face search only: downloads and likes as the Hub reports them. */
  downloads?: number;
  likes?: number;
}

export interface VariantFit extends CatalogVariant {
  fit: MemoryFit | null;
  /** Estimated bytes to run with the default context size; null when it could not be estimated. */
  estimatedBytes: number | null;
}

export interface CatalogDetails {
  entry: CatalogEntry;
  variants: VariantFit[];
  /** Memory Hangar may use on this machine (settings budget or free memory). */
  availableBytes: number;
}

export interface CatalogSearchResult {
  entries: CatalogEntry[];
  /** Set when the live search did not answer (offline, rate limited): the UI says so plainly. */
  searchError: string | null;
}

export const catalogMethods = {
  "catalog.list": noParams,
  "catalog.search": v.object({
    query: v.string({ min: 1, max: 200 }),
    limit: v.optional(v.number({ integer: true, min: 1, max: 100 })),
  }),
  "catalog.details": v.object({ id: v.string({ min: 1, max: 300 }) }),
} satisfies Record<string, Validator<unknown>>;

export interface CatalogMethodResults {
  "catalog.list": { entries: CatalogEntry[] };
  "catalog.search": CatalogSearchResult;
  "catalog.details": CatalogDetails;
}
