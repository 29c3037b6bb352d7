/**
 * ModelDiscovery: every model other tools keep on this computer, found on demand. A scan walks the
 * sources' folders (cheap: listings and a few small files) and reads a GGUF header only for files it
 * has not seen at that size and time, so files that appear or disappear are noticed on the next call.
 */
import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import { estimateModelMemory } from "../gguf/model-memory.ts";
import { selectGguf } from "../distribution/huggingface/select.ts";
import { canonicalReference, parseReference } from "../artifact/reference.ts";
import { scanFolder } from "./folder.ts";
import { fileSize } from "./gguf-files.ts";
import { ollamaBlobPath } from "./ollama.ts";
import { SOURCE_LAYOUTS, sourceRoots } from "./sources.ts";
import { DEFAULT_DISCOVERY_SETTINGS, DISCOVERY_SOURCES } from "./types.ts";
import type { DiscoverySettings, DiscoverySourceId, FoundModel } from "./types.ts";

/** Facts from the GGUF headers: the first weight file's, and the memory estimate over every shard. */
export interface HeaderFacts {
  architecture: string | null;
  quantization: string | null;
  parameters: string | null;
  contextLength: number | null;
  /** Bytes needed at the default context (weights, KV cache, overhead). */
  memoryBytes: number;
}

export interface DiscoveredModel extends FoundModel, HeaderFacts {
  /** A stable id: the manifest digest for manifest-based tools, else the weights' sha256 or a digest of their paths. */
  digest: string;
  /** Bytes of the weight files and projector. */
  size: number;
  /** When the weights were last written. */
  modifiedAt: string;
}

export interface ModelDiscoveryOptions {
  env?: NodeJS.ProcessEnv;
  settings?: () => DiscoverySettings;
  /** A scan answers calls within this many milliseconds of it (default 1000). */
  maxAgeMs?: number;
}

export class ModelDiscovery {
  private readonly env: NodeJS.ProcessEnv;
  private readonly settings: () => DiscoverySettings;
  private readonly maxAgeMs: number;
  private readonly headers = new Map<string, { stamp: string; facts: HeaderFacts | null }>();
  private last: { at: number; settings: string; models: Promise<DiscoveredModel[]> } | null = null;

  constructor(options: ModelDiscoveryOptions = {}) {
    this.env = options.env ?? process.env;
    this.settings = options.settings ?? (() => DEFAULT_DISCOVERY_SETTINGS);
    this.maxAgeMs = options.maxAgeMs ?? 1000;
  }

  /** The folders read per source, whether the source is on. */
  roots(): Array<{ source: DiscoverySourceId; enabled: boolean; roots: string[] }> {
    const s = this.settings();
    return DISCOVERY_SOURCES.map((source) => ({
      source,
      enabled: !s.disabled.includes(source),
      roots: sourceRoots(source, this.env),
    }));
  }

  /** Every discovered model, one per name (the first source in preference order wins). */
  list(): Promise<DiscoveredModel[]> {
    const now = Date.now();
    // A settings change (a source switched off, a folder added) shows at once, not after maxAgeMs.
    const settings = JSON.stringify(this.settings());
    if (!this.last || now - this.last.at > this.maxAgeMs || this.last.settings !== settings) {
      const models = this.scan();
      this.last = { at: now, settings, models };
      models.catch(() => (this.last = null));
    }
    return this.last.models;
  }

  /** Forgets the last scan (after a settings change). */
  invalidate(): void {
    this.last = null;
  }

  /**
   * The discovered model a reference names, or null. `hf.co/org/repo` without a quant picks among that
   * repository's files the way a pull would (Q4_K_M, else the usual fallbacks).
   */
  async find(input: string): Promise<DiscoveredModel | null> {
    let key: string;
    try {
      key = canonicalReference(input);
    } catch {
      return null;
    }
    const models = await this.list();
    const exact = models.find((m) => m.ref === key);
    if (exact) return exact;
    const ref = parseReference(key);
    if (ref.kind !== "huggingface" || ref.quant !== null) return null;
    const prefix = `${key.toLowerCase()}:`;
    const candidates = models.filter((m) => m.ref.toLowerCase().startsWith(prefix));
    if (candidates.length === 0) return null;
    const chosen = selectGguf(
      candidates.map((m) => ({ path: m.ggufPaths[0]!, model: m })),
      undefined,
      key,
    );
    return chosen.model[0]?.model ?? null;
  }

  /**
   * A file another tool holds whose sha256 is `digest` and size `size`, by that tool's own content
   * addressing (Ollama and Docker Model Runner blob names, Hugging Face cache blob links). The name is a
   * claim, not a proof: whoever copies it verifies the bytes.
   */
  async findBlob(digest: string, size: number): Promise<string | null> {
    if (!/^sha256:[a-f0-9]{64}$/.test(digest)) return null;
    if (!this.settings().disabled.includes("ollama"))
      for (const root of sourceRoots("ollama", this.env)) {
        const path = ollamaBlobPath(root, digest);
        if ((await fileSize(path)) === size) return path;
      }
    for (const m of await this.list()) {
      for (const [path, d] of Object.entries(m.knownDigests))
        if (d === digest && (await fileSize(path)) === size) return path;
    }
    return null;
  }

  private async scan(): Promise<DiscoveredModel[]> {
    const s = this.settings();
    const found: FoundModel[] = [];
    for (const { source, enabled, roots } of this.roots()) {
      if (!enabled) continue;
      for (const root of roots) found.push(...(await SOURCE_LAYOUTS[source].scan(root).catch(() => [])));
    }
    for (const folder of s.folders) found.push(...(await scanFolder(folder).catch(() => [])));
    const byRef = new Map<string, DiscoveredModel>();
    for (const f of found) {
      if (byRef.has(f.ref)) continue;
      const model = await this.describe(f);
      if (model) byRef.set(f.ref, model);
    }
    return [...byRef.values()].sort((a, b) => a.ref.localeCompare(b.ref));
  }

  private async describe(f: FoundModel): Promise<DiscoveredModel | null> {
    let size = 0;
    let modified = 0;
    const stamps: string[] = [];
    for (const path of [...f.ggufPaths, ...(f.mmprojPath ? [f.mmprojPath] : [])]) {
      const st = await stat(path).catch(() => null);
      if (!st?.isFile()) return null;
      size += st.size;
      modified = Math.max(modified, st.mtimeMs);
      stamps.push(`${path}:${st.size}:${st.mtimeMs}`);
    }
    const facts = await this.facts(f.ggufPaths, stamps.slice(0, f.ggufPaths.length).join("\n"));
    if (facts === null) return null;
    const digest = f.manifest
      ? `sha256:${createHash("sha256").update(f.manifest.text).digest("hex")}`
      : (f.knownDigests[f.ggufPaths[0]!] ??
        `sha256:${createHash("sha256").update(stamps.join("\n")).digest("hex")}`);
    return { ...f, ...facts, digest, size, modifiedAt: new Date(modified).toISOString() };
  }

  /** Header facts, cached per file size and time; null when the file is no GGUF model (or a projector). */
  private async facts(paths: string[], stamp: string): Promise<HeaderFacts | null> {
    const path = paths[0]!;
    const cached = this.headers.get(path);
    if (cached?.stamp === stamp) return cached.facts;
    let facts: HeaderFacts | null;
    try {
      const r = await estimateModelMemory(paths);
      const s = r.summary;
      facts =
        s.architecture === "clip"
          ? null
          : {
              architecture: s.architecture,
              quantization: s.quantization,
              parameters: s.parameters,
              contextLength: s.contextLength,
              memoryBytes: r.estimate.totalBytes,
            };
    } catch {
      // A file being written, or not GGUF at all: list nothing rather than a model that cannot load.
      facts = null;
    }
    this.headers.set(path, { stamp, facts });
    return facts;
  }
}
