/**
 * `hangar export --to ollama REF`: writes a model of Hangar's store into Ollama's folder (a manifest
 * under `manifests/<host>/<namespace>/<name>/<tag>` and its `blobs/sha256-<hex>`), so Ollama runs a
 * model Hangar pulled. Blobs are reflinked where the filesystem can, else copied: Ollama's files stay
 * independent of Hangar's store in both directions. Nothing Ollama already has is overwritten.
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { copyFile, mkdir, rename, unlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { detectFormat, modelLayers } from "../artifact/manifest.ts";
import type { Descriptor } from "../artifact/manifest.ts";
import * as mt from "../artifact/media-types.ts";
import { parseReference, OLLAMA_REGISTRY } from "../artifact/reference.ts";
import { sha256Digest } from "../store/blob-store.ts";
import { configFacts } from "../store/model-summary.ts";
import type { ModelStore } from "../store/model-store.ts";
import { fileSize } from "./gguf-files.ts";
import { ollamaBlobPath, ollamaRoots } from "./ollama.ts";

export interface OllamaExport {
  /** The name Ollama knows the model by, e.g. "ai/smollm2:135M-Q4_K_M". */
  name: string;
  manifestPath: string;
  /** Bytes copied into Ollama's folder (0 when everything was cloned or already there). */
  copiedBytes: number;
}

/** Ollama's name for a reference: `host/namespace/model:tag`, with Ollama's own host left out. */
function ollamaPath(ref: string): { parts: [string, string, string]; tag: string; name: string } {
  const r = parseReference(ref);
  if (r.kind === "huggingface") {
    const tag = r.quant ?? "latest";
    return { parts: ["hf.co", r.user, r.repo], tag, name: `hf.co/${r.user}/${r.repo}:${tag}` };
  }
  const components = r.repository.split("/");
  const model = components.pop()!;
  const namespace = components.pop() ?? "library";
  const host = r.registry === OLLAMA_REGISTRY ? OLLAMA_REGISTRY : "registry.ollama.ai";
  const tag = r.tag ?? "latest";
  const short = namespace === "library" ? model : `${namespace}/${model}`;
  return { parts: [host, namespace, model], tag, name: `${short}:${tag}` };
}

async function writeAtomic(path: string, data: string | Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

/** Puts a file at `to` as a reflink (else a copy) unless a file of that size is there; returns bytes copied. */
async function placeBlob(from: string, to: string, size: number): Promise<number> {
  if ((await fileSize(to)) === size) return 0;
  await mkdir(dirname(to), { recursive: true });
  const tmp = `${to}.${process.pid}.partial`;
  try {
    try {
      await copyFile(from, tmp, constants.COPYFILE_FICLONE_FORCE);
      await rename(tmp, to);
      return 0;
    } catch {
      await copyFile(from, tmp);
      await rename(tmp, to);
      return size;
    }
  } catch (error) {
    await unlink(tmp).catch(() => {});
    throw error;
  }
}

export async function exportToOllama(
  store: ModelStore,
  ref: string,
  env: NodeJS.ProcessEnv,
): Promise<OllamaExport> {
  const m = await store.get(ref);
  const format = detectFormat(m.manifest, m.ref);
  const layers = modelLayers(m.manifest, format);
  if (layers.gguf.length !== 1)
    throw new Error(`${m.ref} has ${layers.gguf.length} GGUF shards; Ollama loads single-file models only`);
  const root = ollamaRoots(env, env.HOME)[0]!;
  const { parts, tag, name } = ollamaPath(m.ref);
  const manifestPath = join(root, "manifests", ...parts, tag);
  if ((await fileSize(manifestPath)) !== null)
    throw Object.assign(
      new Error(`Ollama already has ${name} (${manifestPath}); remove it in Ollama first`),
      {
        code: "conflict",
      },
    );

  let manifestText: string;
  let copied: Descriptor[];
  if (format === "ollama") {
    manifestText = m.manifestText;
    copied = [m.manifest.config, ...m.manifest.layers];
  } else {
    const facts = configFacts(m.manifest.config.mediaType, m.config);
    const out: Descriptor[] = [{ ...layers.gguf[0]!, mediaType: mt.OLLAMA_MODEL }];
    if (layers.mmproj) out.push({ ...layers.mmproj, mediaType: mt.OLLAMA_PROJECTOR });
    for (const l of layers.license) out.push({ ...l, mediaType: mt.OLLAMA_LICENSE });
    const configText = JSON.stringify({
      model_format: "gguf",
      model_family: facts.architecture ?? "",
      model_families: facts.architecture ? [facts.architecture] : [],
      model_type: facts.parameters ?? "",
      file_type: facts.quantization ?? "",
      rootfs: { type: "layers", diff_ids: out.map((l) => l.digest) },
    });
    const config = {
      mediaType: mt.OLLAMA_CONFIG,
      digest: sha256Digest(configText),
      size: Buffer.byteLength(configText),
    };
    await writeAtomic(ollamaBlobPath(root, config.digest), configText);
    manifestText = JSON.stringify({ schemaVersion: 2, mediaType: mt.DOCKER_MANIFEST, config, layers: out });
    copied = out;
  }
  let copiedBytes = 0;
  for (const d of copied)
    copiedBytes += await placeBlob(store.blobs.path(d.digest), ollamaBlobPath(root, d.digest), d.size);
  // The manifest last: Ollama sees the model only once every blob it names is in place.
  await writeAtomic(manifestPath, manifestText);
  return { name, manifestPath, copiedBytes };
}
