/**
 * Adoption: a discovered model becomes a model of Hangar's own store, as a reflink where the filesystem
 * can clone files, else a copy, every file verified by sha256 on the way in. Manifest-based tools
 * (Ollama, Docker Model Runner) keep their manifest, so the adopted model is byte for byte what a pull
 * would have stored; loose GGUF files are packaged as a Docker model artifact, as `hangar import` does.
 */
import type { InstalledModel } from "../models.ts";
import { readGgufSummary } from "../gguf/metadata.ts";
import { buildArtifact } from "../distribution/packaging/artifact.ts";
import { detectFormat, parseImageManifest } from "../artifact/manifest.ts";
import { parseReference, referenceSource } from "../artifact/reference.ts";
import { copyIntoStore } from "../store/copy-in.ts";
import type { ModelStore } from "../store/model-store.ts";
import type { DiscoveredModel } from "./discovery.ts";

export interface AdoptResult {
  model: InstalledModel;
  /** Files cloned by the filesystem (no bytes copied). */
  reflinked: number;
  /** Bytes copied because the filesystem could not clone them. */
  copiedBytes: number;
}

export async function adoptModel(store: ModelStore, found: DiscoveredModel): Promise<AdoptResult> {
  const parsed = parseReference(found.ref);
  const source =
    parsed.kind === "oci"
      ? referenceSource(parsed)
      : found.ref.startsWith("hf.co/")
        ? "huggingface"
        : "local";
  let reflinked = 0;
  let copiedBytes = 0;
  const pending = await store.pending.start();
  try {
    const copy = async (path: string, expected?: string) => {
      const r = await copyIntoStore(store.blobs, path, { expected, beforeCommit: (d) => pending.add([d]) });
      if (r.reflinked) reflinked++;
      else copiedBytes += r.size;
      return { digest: r.digest, size: r.size };
    };
    if (found.manifest) {
      for (const blob of found.manifest.blobs) await copy(blob.path, blob.digest);
      const manifest = parseImageManifest(JSON.parse(found.manifest.text), found.ref);
      const model = await store.addModel({
        ref: found.ref,
        manifestText: found.manifest.text,
        format: detectFormat(manifest, found.ref),
        source,
      });
      return { model, reflinked, copiedBytes };
    }
    const weights = [];
    for (const path of found.ggufPaths) weights.push(await copy(path, found.knownDigests[path]));
    const mmproj = found.mmprojPath
      ? await copy(found.mmprojPath, found.knownDigests[found.mmprojPath])
      : null;
    // The header is read from the stored copy: what the config records is what the store holds.
    const summary = await readGgufSummary(store.blobs.path(weights[0]!.digest));
    const built = buildArtifact({ format: "docker", gguf: summary, weights, mmproj, created: store.now() });
    await pending.add([built.config.digest, built.digest]);
    await store.blobs.put(built.configText);
    const model = await store.addModel({
      ref: found.ref,
      manifestText: built.manifestText,
      format: source === "huggingface" ? "huggingface" : "gguf",
      source,
    });
    return { model, reflinked, copiedBytes };
  } finally {
    await pending.release();
    store.blobs.startSyncs();
  }
}
