/** Garbage collection, disk usage and integrity checks of the store. */
import { readdir, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { parseImageManifest } from "../artifact/manifest.ts";
import type { ModelStore } from "./model-store.ts";

export interface GcReport {
  removed: string[];
  freedBytes: number;
}

export interface StoreUsage {
  models: number;
  blobs: number;
  /** Bytes of all blobs (each counted once however many models share it). */
  blobBytes: number;
  /** Bytes of partial downloads waiting to be resumed. */
  partialBytes: number;
  /** Bytes the models would take if nothing were shared. */
  modelBytes: number;
}

export interface FsckReport {
  checked: number;
  broken: { digest: string; actual: string }[];
  removed: string[];
  /** References whose manifest, config or layers are missing or broken. */
  brokenModels: string[];
}

async function referencedBlobs(store: ModelStore): Promise<Map<string, string[]>> {
  const byModel = new Map<string, string[]>();
  for (const [ref, entry] of Object.entries(await store.index.read())) {
    const digests = [entry.digest];
    try {
      const manifest = parseImageManifest(await store.blobs.readJson(entry.digest), ref);
      digests.push(manifest.config.digest, ...manifest.layers.map((l) => l.digest));
    } catch {
      // A missing or broken manifest keeps only itself referenced; fsck reports the model.
    }
    byModel.set(ref, digests);
  }
  return byModel;
}

export async function collectGarbage(store: ModelStore): Promise<GcReport> {
  return store.index.withLock(async () => {
    const keep = await store.pending.live();
    for (const digests of (await referencedBlobs(store)).values()) for (const d of digests) keep.add(d);
    const report: GcReport = { removed: [], freedBytes: 0 };
    for (const digest of await store.blobs.list()) {
      if (keep.has(digest)) continue;
      report.freedBytes += (await store.blobs.size(digest)) ?? 0;
      await store.blobs.remove(digest);
      report.removed.push(digest);
    }
    return report;
  });
}

export async function storeUsage(store: ModelStore): Promise<StoreUsage> {
  const blobs = await store.blobs.list();
  let blobBytes = 0;
  const sizes = new Map<string, number>();
  for (const d of blobs) {
    const size = (await store.blobs.size(d)) ?? 0;
    sizes.set(d, size);
    blobBytes += size;
  }
  let partialBytes = 0;
  for (const name of await readdir(store.blobs.incomingDir).catch(() => [] as string[]))
    partialBytes += await stat(join(store.blobs.incomingDir, name)).then(
      (s) => s.size,
      () => 0,
    );
  const models = await referencedBlobs(store);
  let modelBytes = 0;
  for (const digests of models.values()) for (const d of digests) modelBytes += sizes.get(d) ?? 0;
  return { models: models.size, blobs: blobs.length, blobBytes, partialBytes, modelBytes };
}

export async function checkBlobs(
  store: ModelStore,
  options: { repair?: boolean; onBlob?: (digest: string, ok: boolean) => void },
): Promise<FsckReport> {
  const report: FsckReport = { checked: 0, broken: [], removed: [], brokenModels: [] };
  const bad = new Set<string>();
  for (const digest of await store.blobs.list()) {
    const { ok, actual } = await store.blobs.verify(digest);
    report.checked++;
    options.onBlob?.(digest, ok);
    if (ok) continue;
    bad.add(digest);
    report.broken.push({ digest, actual });
    if (options.repair) {
      await unlink(store.blobs.path(digest)).catch(() => {});
      report.removed.push(digest);
    }
  }
  for (const [ref, digests] of await referencedBlobs(store)) {
    for (const d of digests) {
      if (bad.has(d) || !(await store.blobs.has(d))) {
        report.brokenModels.push(ref);
        break;
      }
    }
  }
  return report;
}
