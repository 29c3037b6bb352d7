/** `push`: uploads a stored model to a registry, skipping blobs it has and mounting across repositories. */
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import type { ModelStore } from "../store/model-store.ts";
import { OciClient } from "./registry/oci-client.ts";
import { parseReference, formatReference } from "../artifact/reference.ts";
import type { OciReference } from "../artifact/reference.ts";
import { OCI_MANIFEST } from "../artifact/media-types.ts";
import { parseImageManifest } from "../artifact/manifest.ts";
import { resolveAccess, type RegistryAccess } from "./registry-access.ts";

export interface PushResult {
  ref: string;
  digest: string;
  blobs: { exists: number; mounted: number; uploaded: number; uploadedBytes: number };
}

export interface PushOptions extends RegistryAccess {
  /** Push under another reference (default: the model's own). */
  target?: string;
  signal?: AbortSignal;
  onBlob?: (digest: string, outcome: "exists" | "mounted" | "uploaded") => void;
}

/** Another repository on the same registry that this store knows holds the blob (for a cross-repo mount). */
async function mountSource(
  store: ModelStore,
  target: OciReference,
  digest: string,
): Promise<string | undefined> {
  for (const [key, entry] of Object.entries(await store.index.read())) {
    const ref = parseReference(key);
    if (ref.kind !== "oci" || ref.registry !== target.registry || ref.repository === target.repository)
      continue;
    if (entry.source !== target.registry) continue;
    try {
      const m = parseImageManifest(await store.blobs.readJson(entry.digest), key);
      if ([m.config, ...m.layers].some((l) => l.digest === digest)) return ref.repository;
    } catch {
      // unreadable manifest: not a mount source
    }
  }
  return undefined;
}

export async function pushModel(
  store: ModelStore,
  source: string,
  options: PushOptions = {},
): Promise<PushResult> {
  const stored = await store.get(source);
  const target = parseReference(options.target ?? source);
  if (target.kind !== "oci")
    throw new Error(`cannot push to ${formatReference(target)}: Hugging Face is not an OCI registry`);
  const access = resolveAccess(options);
  const client = new OciClient({ registry: target.registry, fetch: access.fetch, env: access.env });
  const result: PushResult = {
    ref: formatReference(target),
    digest: stored.entry.digest,
    blobs: { exists: 0, mounted: 0, uploaded: 0, uploadedBytes: 0 },
  };
  for (const blob of [stored.manifest.config, ...stored.manifest.layers]) {
    const path = store.blobs.path(blob.digest);
    const outcome = await client.pushBlob(
      target.repository,
      {
        digest: blob.digest,
        size: blob.size,
        body: () => Readable.toWeb(createReadStream(path, { highWaterMark: 1 << 20 })) as unknown as BodyInit,
      },
      { mountFrom: await mountSource(store, target, blob.digest), signal: options.signal },
    );
    result.blobs[outcome]++;
    if (outcome === "uploaded") result.blobs.uploadedBytes += blob.size;
    options.onBlob?.(blob.digest, outcome);
  }
  await client.putManifest(
    target.repository,
    target.digest ?? target.tag ?? "latest",
    stored.manifestText,
    stored.manifest.mediaType ?? OCI_MANIFEST,
  );
  return result;
}
