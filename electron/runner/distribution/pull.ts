/**
 * `pull`: resolve a reference, fetch the manifest (choosing from an image index), download every blob
 * verified into the store, then index the model. Hugging Face references download the resolver's files and
 * get a local manifest in the Docker model artifact format. A model is indexed only once all its blobs are
 * stored and verified.
 */
import type { InstalledModel, PullProgress } from "../models.ts";
import type { ModelStore } from "../store/model-store.ts";
import { downloadBlob } from "./transfer/blob-download.ts";
import type { BlobSource } from "./transfer/blob-download.ts";
import { ProgressMeter } from "./transfer/progress-meter.ts";
import { formatReference, parseReference } from "../artifact/reference.ts";
import type { HuggingFaceReference, OciReference } from "../artifact/reference.ts";
import { OciClient, RegistryError } from "./registry/oci-client.ts";
import { detectFormat, isIndex, parseImageManifest } from "../artifact/manifest.ts";
import type { Descriptor, ImageIndex } from "../artifact/manifest.ts";
import { OCI_MANIFEST, DOCKER_MANIFEST } from "../artifact/media-types.ts";
import { pullHuggingFace } from "./pull-huggingface.ts";
import { resolveAccess, type RegistryAccess } from "./registry-access.ts";
import { reuseLocalBlob, type FindLocalBlob } from "./transfer/local-blob.ts";
import { assertFreeSpace } from "../store/disk-space.ts";

/** Parallel Range parts for big blobs unless a pull says otherwise. */
export const DEFAULT_PARTS = 4;

export interface PullOptions extends RegistryAccess {
  signal?: AbortSignal;
  onProgress?: (p: PullProgress) => void;
  /** Parallel Range parts for big blobs (default DEFAULT_PARTS). */
  parts?: number;
  /** Blobs of at least this many bytes are fetched as parallel parts (default 64 MiB). */
  partThreshold?: number;
  /** Parts restart after this long without bytes (default 30 s). */
  stallMs?: number;
  /** A file on this computer holding a blob (another tool's store): copied in, verified, not downloaded. */
  findLocalBlob?: FindLocalBlob;
}

/** Reports progress at most every 100 ms, plus phase changes. */
export function progressReporter(ref: string, total: number, onProgress?: (p: PullProgress) => void) {
  const meter = new ProgressMeter(total);
  let last = 0;
  let layer: PullProgress["layer"];
  const emit = (phase: PullProgress["phase"], message?: string) =>
    onProgress?.({
      ref,
      phase,
      completedBytes: meter.completed,
      totalBytes: meter.total,
      bytesPerSecond: meter.speed(),
      etaSeconds: phase === "downloading" ? meter.eta() : null,
      ...(message ? { message } : {}),
      ...(phase === "downloading" && layer ? { layer: { ...layer } } : {}),
    });
  return {
    meter,
    emit,
    /** The next blob starts: its digest and size go with the progress until the next one. */
    layer(digest: string, size: number) {
      layer = { digest, totalBytes: size, completedBytes: 0 };
      emit("downloading");
    },
    bytes(n: number) {
      meter.add(n);
      if (layer) layer.completedBytes += n;
      const now = Date.now();
      const layerDone = layer !== undefined && layer.completedBytes >= layer.totalBytes;
      if (now - last >= 100 || meter.completed >= meter.total || layerDone) {
        last = now;
        emit("downloading");
      }
    },
  };
}

export async function pullModel(
  store: ModelStore,
  input: string,
  options: PullOptions = {},
): Promise<InstalledModel> {
  const ref = parseReference(input);
  const key = formatReference(ref);
  options.onProgress?.({
    ref: key,
    phase: "resolving",
    completedBytes: 0,
    totalBytes: 0,
    bytesPerSecond: 0,
    etaSeconds: null,
  });
  try {
    return ref.kind === "huggingface"
      ? await pullHuggingFace(store, ref as HuggingFaceReference, key, options)
      : await pullOci(store, ref, key, options);
  } catch (err) {
    options.onProgress?.({
      ref: key,
      phase: "error",
      completedBytes: 0,
      totalBytes: 0,
      bytesPerSecond: 0,
      etaSeconds: null,
      message: (err as Error).message,
    });
    throw err;
  } finally {
    // The downloaded blobs are already verified and in the store; now that the index is written too,
    // their fsyncs run in the background (see store/deferred-sync.ts).
    store.blobs.startSyncs();
  }
}

/** Picks the model manifest out of an image index: an entry with a model artifactType, else the first manifest. */
export function selectFromIndex(index: ImageIndex, where: string): Descriptor {
  const manifests = index.manifests.filter(
    (m) => m.mediaType === OCI_MANIFEST || m.mediaType === DOCKER_MANIFEST,
  );
  const chosen =
    manifests.find((m) => m.artifactType?.includes("model")) ??
    manifests.find(
      (m) =>
        m.platform?.os !== "unknown" &&
        m.annotations?.["vnd.docker.reference.type"] !== "attestation-manifest",
    ) ??
    manifests[0];
  if (!chosen) throw new RegistryError("not_found", `${where}: the image index lists no manifest`);
  return chosen;
}

/** Refuses a pull whose missing blobs do not fit on the store's disk, before downloading any. */
export async function assertStoreHasRoom(
  store: ModelStore,
  blobs: { digest: string; size: number }[],
  what: string,
): Promise<void> {
  await store.blobs.init();
  let missing = 0;
  for (const blob of blobs) if ((await store.blobs.size(blob.digest)) !== blob.size) missing += blob.size;
  await assertFreeSpace(store.blobs.incomingDir, missing, what);
}

async function pullOci(
  store: ModelStore,
  ref: OciReference,
  key: string,
  options: PullOptions,
): Promise<InstalledModel> {
  const access = resolveAccess(options);
  const client = new OciClient({ registry: ref.registry, fetch: access.fetch, env: access.env });
  let got = await client.getManifest(ref.repository, ref.digest ?? ref.tag!, options.signal);
  let json = JSON.parse(got.text) as unknown;
  if (isIndex(json, got.mediaType)) {
    const chosen = selectFromIndex(json as ImageIndex, key);
    got = await client.getManifest(ref.repository, chosen.digest, options.signal);
    json = JSON.parse(got.text) as unknown;
  }
  const manifest = parseImageManifest(json, key);
  const format = detectFormat(manifest, key);
  const blobs = [manifest.config, ...manifest.layers];
  const unique = [...new Map(blobs.map((b) => [b.digest, b])).values()];
  const total = unique.reduce((a, b) => a + b.size, 0);
  await assertStoreHasRoom(store, unique, key);
  const progress = progressReporter(key, total, options.onProgress);
  const pending = await store.pending.start();
  try {
    await pending.add([got.digest, ...unique.map((b) => b.digest)]);
    progress.emit("downloading");
    for (const blob of unique) {
      progress.layer(blob.digest, blob.size);
      if (await reuseLocalBlob(store.blobs, blob, options.findLocalBlob)) {
        progress.bytes(blob.size);
        continue;
      }
      const source: BlobSource = {
        open: ({ range, signal }) =>
          client.getBlob(ref.repository, blob.digest, { range, signal, fetch: access.downloadFetch }),
      };
      await downloadBlob({
        store: store.blobs,
        digest: blob.digest,
        size: blob.size,
        source,
        signal: options.signal,
        parts: options.parts ?? DEFAULT_PARTS,
        partThreshold: options.partThreshold,
        stallMs: options.stallMs,
        onBytes: (n) => progress.bytes(n),
      });
    }
    progress.emit("verifying");
    const model = await store.addModel({ ref: key, manifestText: got.text, format, source: ref.registry });
    progress.emit("done");
    return model;
  } finally {
    await pending.release();
  }
}
