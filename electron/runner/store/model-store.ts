/**
 * The model store: content-addressed blobs and an index of references → manifests. Storage only: pulls,
 * pushes and imports (electron/runner/distribution) receive the store and write through `blobs`,
 * `pending` and `addModel`. Layout under `root` (normally `$HANGAR_HOME/models`):
 *   blobs/sha256/<hex>   every manifest, config and layer, stored once whatever registry it came from
 *   incoming/            partial downloads and files being adopted (same filesystem, renamed into blobs/)
 *   index.json           reference → manifest digest, format, source, created, last used
 *   locks/, pending/     cross-process locks and the blobs of pulls in progress
 */
import { join } from "node:path";
import { readFile, stat } from "node:fs/promises";
import { hangarHome } from "../paths.ts";
import { ModelNotFoundError, TagConflictError, type TagOptions } from "../models.ts";
import type { InstalledModel, ModelFormat, ResolvedModel } from "../models.ts";
import { canonicalReference } from "../artifact/reference.ts";
import { detectFormat, modelLayers, parseImageManifest } from "../artifact/manifest.ts";
import type { ImageManifest } from "../artifact/manifest.ts";
import { BlobStore } from "./blob-store.ts";
import { ModelIndex } from "./model-index.ts";
import type { IndexEntry } from "./model-index.ts";
import { PendingBlobs } from "./pending-blobs.ts";
import { installedModel } from "./model-summary.ts";
import { collectGarbage, storeUsage, checkBlobs } from "./maintenance.ts";
import type { FsckReport, GcReport, StoreUsage } from "./maintenance.ts";

export interface ModelStoreOptions {
  /** The models directory, e.g. ModelStore.defaultRoot(). */
  root: string;
  now?: () => Date;
}

export interface StoredModel {
  ref: string;
  entry: IndexEntry;
  manifest: ImageManifest;
  manifestText: string;
  config: unknown;
}

export class ModelStore {
  readonly root: string;
  readonly blobs: BlobStore;
  readonly index: ModelIndex;
  readonly pending: PendingBlobs;
  readonly now: () => Date;
  private resolved: {
    stamp: string;
    byRef: Map<string, Promise<{ model: ResolvedModel; layers: { digest: string; size: number }[] }>>;
  } = { stamp: "", byRef: new Map() };

  static defaultRoot(env: NodeJS.ProcessEnv = process.env): string {
    return join(hangarHome(env), "models");
  }

  constructor(options: ModelStoreOptions) {
    this.root = options.root;
    this.blobs = new BlobStore(options.root);
    this.index = new ModelIndex(options.root);
    this.pending = new PendingBlobs(options.root, (fn) => this.index.withLock(fn));
    this.now = options.now ?? (() => new Date());
  }

  /** The index key of a reference: its canonical form, so short forms find what long forms stored. */
  key(ref: string): string {
    return canonicalReference(ref);
  }

  async list(): Promise<InstalledModel[]> {
    await this.blobs.recover();
    const models = await this.index.read();
    const out: InstalledModel[] = [];
    for (const [ref, entry] of Object.entries(models)) {
      try {
        const m = await this.load(ref, entry);
        for (const layer of m.manifest.layers)
          if (!(await this.blobs.has(layer.digest))) throw new Error("missing layer");
        out.push(installedModel(ref, entry, m.manifest, m.config));
      } catch {
        // A model with a blob gone (fsck --repair removed a broken one) is not listed; fsck reports it.
      }
    }
    return out;
  }

  /** The stored manifest and config of a reference; throws ModelNotFoundError when absent. */
  async get(ref: string): Promise<StoredModel> {
    const key = this.key(ref);
    const entry = await this.index.get(key);
    if (!entry) throw new ModelNotFoundError(ref);
    return this.load(key, entry);
  }

  private async load(ref: string, entry: IndexEntry): Promise<StoredModel> {
    const manifestText = (await this.blobs.read(entry.digest)).toString("utf8");
    const manifest = parseImageManifest(JSON.parse(manifestText), ref);
    const config: unknown = await this.blobs.readJson(manifest.config.digest);
    return { ref, entry, manifest, manifestText, config };
  }

  /**
   * What the engine needs to load a model. Answers from a cache while the index file is unchanged (it is
   * replaced, never edited, on every change): a request then costs a few stats instead of reading the
   * index, manifest, config and text layers again (about a millisecond off every request's first token).
   */
  async resolve(ref: string): Promise<ResolvedModel> {
    await this.blobs.recover();
    const stamp = await stat(this.index.path, { bigint: true }).then(
      (s) => `${s.ino}:${s.mtimeNs}:${s.size}`,
      () => "",
    );
    if (stamp !== this.resolved.stamp) this.resolved = { stamp, byRef: new Map() };
    const key = this.key(ref);
    let found = this.resolved.byRef.get(key);
    if (!found) {
      found = this.resolveFromDisk(ref);
      this.resolved.byRef.set(key, found);
      found.catch(() => this.resolved.byRef.delete(key));
    }
    const { model, layers } = await found;
    for (const layer of layers)
      if ((await this.blobs.size(layer.digest)) !== layer.size)
        throw new Error(
          `${model.ref} is incomplete: blob ${layer.digest} is missing or damaged; run: hangar pull ${model.ref}`,
        );
    return model;
  }

  private async resolveFromDisk(
    ref: string,
  ): Promise<{ model: ResolvedModel; layers: { digest: string; size: number }[] }> {
    const m = await this.get(ref);
    // Frozen: every caller gets this same object until the index changes.
    return { model: Object.freeze(await this.describe(m)), layers: m.manifest.layers };
  }

  private async describe(m: StoredModel): Promise<ResolvedModel> {
    const layers = modelLayers(m.manifest, detectFormat(m.manifest, m.ref));
    const text = async (d: { digest: string } | null) =>
      d ? readFile(this.blobs.path(d.digest), "utf8") : null;
    const params = await text(layers.params);
    const licenses = await Promise.all(layers.license.map((l) => text(l)));
    return {
      ...installedModel(m.ref, m.entry, m.manifest, m.config),
      ggufPaths: layers.gguf.map((l) => this.blobs.path(l.digest)),
      mmprojPath: layers.mmproj ? this.blobs.path(layers.mmproj.digest) : null,
      chatTemplate: await text(layers.chatTemplate),
      params: params ? (JSON.parse(params) as Record<string, unknown>) : null,
      systemPrompt: await text(layers.system),
      license: licenses.length ? licenses.join("\n\n") : null,
    };
  }

  /**
   * Records a model whose blobs are all in the store. Checks every blob first: a model never appears in
   * the index (and `ls`) with a blob missing.
   */
  async addModel(input: {
    ref: string;
    manifestText: string;
    format: ModelFormat;
    source: string;
  }): Promise<InstalledModel> {
    const key = this.key(input.ref);
    const manifest = parseImageManifest(JSON.parse(input.manifestText), key);
    await this.blobs.init();
    const { digest } = await this.blobs.put(input.manifestText);
    const now = this.now().toISOString();
    // Checked under the index lock so garbage collection cannot remove a blob between check and write.
    const next = await this.index.update(async (models) => {
      for (const d of [manifest.config, ...manifest.layers]) {
        const size = await this.blobs.size(d.digest);
        if (size === null) throw new Error(`cannot add ${key}: blob ${d.digest} is not in the store`);
        if (size !== d.size)
          throw new Error(
            `cannot add ${key}: blob ${d.digest} has ${size} bytes, the manifest says ${d.size}`,
          );
      }
      const previous = models[key];
      const entry: IndexEntry = {
        digest,
        format: input.format,
        source: input.source,
        createdAt: previous?.digest === digest ? previous.createdAt : now,
        lastUsedAt: previous?.lastUsedAt ?? null,
      };
      models[key] = entry;
      return { write: true, result: entry };
    });
    return installedModel(key, next, manifest, await this.blobs.readJson(manifest.config.digest));
  }

  async remove(ref: string): Promise<void> {
    const key = this.key(ref);
    const removed = await this.index.update((models) => {
      if (!models[key]) return { write: false, result: false };
      delete models[key];
      return { write: true, result: true };
    });
    if (!removed) throw new ModelNotFoundError(ref);
    await this.gc();
  }

  async tag(source: string, target: string, options: TagOptions = {}): Promise<void> {
    const from = this.key(source);
    const to = this.key(target);
    // Checked inside the index update: a name taken between a check and the write is refused too.
    let taken = null as IndexEntry | null;
    await this.index.update((models) => {
      const entry = models[from];
      if (!entry) throw new ModelNotFoundError(source);
      const existing = models[to];
      if (options.overwrite === false && existing && existing.digest !== entry.digest) {
        taken = existing;
        return { write: false, result: undefined };
      }
      models[to] = { ...entry, createdAt: this.now().toISOString(), lastUsedAt: null };
      return { write: true, result: undefined };
    });
    if (taken) throw new TagConflictError(to, await this.resolve(to));
  }

  async touch(ref: string): Promise<void> {
    const key = this.key(ref);
    await this.index.update((models) => {
      const entry = models[key];
      if (!entry) throw new ModelNotFoundError(ref);
      entry.lastUsedAt = this.now().toISOString();
      return { write: true, result: undefined };
    });
  }

  /** Deletes blobs that no reference (and no pull in progress) needs. */
  gc(): Promise<GcReport> {
    return collectGarbage(this);
  }

  usage(): Promise<StoreUsage> {
    return storeUsage(this);
  }

  /** Re-hashes every blob; with repair, deletes the broken ones. */
  fsck(
    options: { repair?: boolean; onBlob?: (digest: string, ok: boolean) => void } = {},
  ): Promise<FsckReport> {
    return checkBlobs(this, options);
  }
}
