/**
 * Tools that keep OCI-style manifests and content-addressed blobs (Ollama, Docker Model Runner): one
 * manifest is one model, read with the same layer roles as a pulled model.
 */
import { detectFormat, modelLayers, parseImageManifest } from "../artifact/manifest.ts";
import type { Descriptor } from "../artifact/manifest.ts";
import { fileSize, smallText } from "./gguf-files.ts";
import type { DiscoveredSource, FoundModel, NamedBlob } from "./types.ts";

/**
 * The model a manifest describes, or null when it is not a GGUF model or a blob is missing or has the
 * wrong size (a pull still running, or a blob the tool removed).
 */
export async function modelFromManifest(input: {
  ref: string;
  source: DiscoveredSource;
  location: string;
  manifestText: string;
  blobPath: (digest: string) => string;
}): Promise<FoundModel | null> {
  let layers;
  let descriptors: Descriptor[];
  try {
    const manifest = parseImageManifest(JSON.parse(input.manifestText), input.ref);
    layers = modelLayers(manifest, detectFormat(manifest, input.ref));
    descriptors = [manifest.config, ...manifest.layers];
  } catch {
    return null;
  }
  if (layers.gguf.length === 0) return null;
  const blobs: NamedBlob[] = [];
  for (const d of descriptors) {
    const path = input.blobPath(d.digest);
    if ((await fileSize(path)) !== d.size) return null;
    blobs.push({ digest: d.digest, size: d.size, path });
  }
  const text = (d: Descriptor | null) => (d ? smallText(input.blobPath(d.digest)) : Promise.resolve(null));
  const params = await text(layers.params);
  const licenses = (await Promise.all(layers.license.map(text))).filter((t) => t !== null);
  const knownDigests: Record<string, string> = {};
  for (const b of blobs) knownDigests[b.path] = b.digest;
  return {
    ref: input.ref,
    source: input.source,
    location: input.location,
    ggufPaths: layers.gguf.map((d) => input.blobPath(d.digest)),
    mmprojPath: layers.mmproj ? input.blobPath(layers.mmproj.digest) : null,
    knownDigests,
    manifest: { text: input.manifestText, blobs },
    chatTemplate: await text(layers.chatTemplate),
    params: parseParams(params),
    systemPrompt: await text(layers.system),
    license: licenses.length ? licenses.join("\n\n") : null,
  };
}

function parseParams(text: string | null): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
