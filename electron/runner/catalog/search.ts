/**
 * Catalog search: the curated entries that match a query, plus Hugging Face search when it answers.
 * Results use the contract's CatalogEntry so the UI, the bridge and the CLI print the same thing.
 */
import type { CatalogEntry, CatalogSearchResult } from "../../contract/catalog.ts";
import { searchHuggingFace, type HfSearchOptions } from "../distribution/huggingface/search.ts";
import { validateCatalogFile, type CuratedModel } from "./catalog-file.ts";
import { estimateDownloadBytes } from "./size-estimate.ts";
import catalogJson from "../../../resources/catalog.json" with { type: "json" };

let shipped: CuratedModel[] | null = null;

/** The catalog shipped with Hangar (validated once). */
export function curatedModels(): CuratedModel[] {
  shipped ??= validateCatalogFile(catalogJson).models;
  return shipped;
}

/** A curated model as the contract describes catalog entries; refs best first: Docker Hub, Hugging Face, Ollama. */
export function toCatalogEntry(m: CuratedModel): CatalogEntry {
  return {
    id: m.id,
    name: m.name,
    description: m.description,
    origin: "curated",
    parameters: m.parameters,
    contextLength: m.contextLength,
    license: m.license,
    tags: [m.family, m.kind],
    variants: m.variants.map((v) => {
      const refs = [v.refs.docker, v.refs.huggingface, v.refs.ollama].filter(
        (r): r is string => r !== undefined,
      );
      if (v.sizeBytes !== null) return { quantization: v.quantization, sizeBytes: v.sizeBytes, refs };
      const estimate = estimateDownloadBytes(m.parameters, v.quantization);
      return estimate === null
        ? { quantization: v.quantization, sizeBytes: null, refs }
        : { quantization: v.quantization, sizeBytes: estimate, sizeEstimated: true, refs };
    }),
  };
}

function normalize(s: string): string {
  return s.toLowerCase().replace(/[\s_]+/g, "-");
}

/**
 * Curated entries matching every word of the query (in id, name, family, kind, description, license or a
 * reference), best first: id/name matches before description-only ones. An empty query lists everything.
 */
export function searchCatalog(query: string, models: CuratedModel[] = curatedModels()): CatalogEntry[] {
  const words = query.trim().split(/\s+/).filter(Boolean).map(normalize);
  const scored: { m: CuratedModel; score: number }[] = [];
  for (const m of models) {
    const title = normalize(`${m.id} ${m.name} ${m.family} ${m.parameters}`);
    const rest = normalize(
      [m.kind, m.description, m.license ?? "", ...m.variants.flatMap((v) => Object.values(v.refs))].join(" "),
    );
    let score = 0;
    let all = true;
    for (const w of words) {
      if (title.includes(w)) score += 2;
      else if (rest.includes(w)) score += 1;
      else all = false;
    }
    if (all) scored.push({ m, score });
  }
  return scored.sort((a, b) => b.score - a.score).map(({ m }) => toCatalogEntry(m));
}

/** A Hugging Face search hit as a catalog entry: one variant whose reference picks the default quant. */
function hfEntry(hit: {
  id: string;
  ref: string;
  downloads: number;
  likes: number;
  tags: string[];
}): CatalogEntry {
  return {
    id: hit.ref,
    name: hit.id,
    description: `GGUF repository on Hugging Face (${hit.downloads.toLocaleString("en-US")} downloads)`,
    origin: "huggingface",
    parameters: null,
    contextLength: null,
    license: hit.tags.find((t) => t.startsWith("license:"))?.slice("license:".length) ?? null,
    tags: hit.tags.filter((t) => !t.includes(":")).slice(0, 8),
    variants: [{ quantization: "default", sizeBytes: null, refs: [hit.ref] }],
    downloads: hit.downloads,
    likes: hit.likes,
  };
}

export interface CombinedSearchOptions extends HfSearchOptions {
  /** Skip Hugging Face (offline mode, or a caller that only wants the curated list). */
  curatedOnly?: boolean;
  models?: CuratedModel[];
}

/** Curated matches first, then Hugging Face results that are not already listed; never throws for the Hub. */
export async function search(query: string, opts: CombinedSearchOptions = {}): Promise<CatalogSearchResult> {
  const curated = searchCatalog(query, opts.models);
  if (opts.curatedOnly || !query.trim()) return { entries: curated, searchError: null };
  const hub = await searchHuggingFace(query, opts);
  const known = new Set(
    curated
      .flatMap((e) => e.variants.flatMap((v) => v.refs))
      .map((r) => r.replace(/:[^/:]+$/, "").toLowerCase()),
  );
  const extra = hub.models.filter((h) => !known.has(h.ref.toLowerCase())).map(hfEntry);
  return { entries: [...curated, ...extra], searchError: hub.error };
}
