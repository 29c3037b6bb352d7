/** Packages local GGUF files (with license, chat template, projector) as a model artifact in the store. */
import { access, constants, readdir } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { InstalledModel, ModelFormat } from "../../models.ts";
import { readGgufSummary } from "../../gguf/metadata.ts";
import type { ModelStore } from "../../store/model-store.ts";
import { buildArtifact } from "./artifact.ts";
import type { BlobRef, PackageFormat } from "./artifact.ts";

export interface PackageOptions {
  /** The GGUF file, or the first shard of a sharded model (`…-00001-of-00003.gguf`). */
  gguf: string;
  ref: string;
  licenses?: string[];
  chatTemplate?: string | null;
  mmproj?: string | null;
  /** A default system prompt, and default request options by Ollama's names (temperature, stop…). */
  systemPrompt?: string | null;
  params?: Record<string, unknown> | null;
  contextSize?: number | null;
  format?: PackageFormat;
  /** InstalledModel.source; "local" by default. */
  source?: string;
  /** InstalledModel.format recorded in the index; the package format by default ("gguf" for imports). */
  modelFormat?: ModelFormat;
}

const SHARD = /^(.*)-(\d{5})-of-(\d{5})\.gguf$/i;

/** The files of a model in shard order: the file itself, or every sibling shard of a sharded GGUF. */
export async function ggufShards(first: string): Promise<string[]> {
  const m = SHARD.exec(basename(first));
  if (!m) return [first];
  const [, prefix, index, total] = m as unknown as [string, string, string, string];
  if (Number(index) !== 1)
    throw new Error(`${first} is shard ${Number(index)}; pass the first shard (-00001-of-${total})`);
  const names = new Set(await readdir(dirname(first)));
  const shards: string[] = [];
  for (let i = 1; i <= Number(total); i++) {
    const name = `${prefix}-${String(i).padStart(5, "0")}-of-${total}.gguf`;
    if (!names.has(name))
      throw new Error(`shard ${name} of ${basename(first)} is missing in ${dirname(first)}`);
    shards.push(join(dirname(first), name));
  }
  return shards;
}

async function readable(file: string, what: string): Promise<void> {
  try {
    await access(file, constants.R_OK);
  } catch {
    throw new Error(`${what} ${file} does not exist or cannot be read`);
  }
}

export async function packageModel(store: ModelStore, options: PackageOptions): Promise<InstalledModel> {
  const format = options.format ?? "docker";
  if (format !== "docker" && format !== "cncf")
    throw new Error(`--format must be docker or cncf (got ${String(format)})`);
  if (options.contextSize != null && (!Number.isInteger(options.contextSize) || options.contextSize <= 0))
    throw new Error(`--context-size must be a positive integer (got ${options.contextSize})`);
  if (options.mmproj && format !== "docker")
    throw new Error("--mmproj is only supported in the docker format");
  const key = store.key(options.ref);
  await readable(options.gguf, "GGUF file");
  for (const f of options.licenses ?? []) await readable(f, "license file");
  if (options.chatTemplate) await readable(options.chatTemplate, "chat template");
  if (options.mmproj) await readable(options.mmproj, "projector file");
  const shards = await ggufShards(options.gguf);
  const summary = await readGgufSummary(shards[0]!);
  // A truncated file (or one whose offsets point past its end) would fail only when loaded.
  for (const shard of shards) {
    const s = shard === shards[0] ? summary : await readGgufSummary(shard);
    if (s.fileSize !== null && s.tensorDataEnd !== undefined && s.tensorDataEnd > s.fileSize)
      throw Object.assign(
        new Error(
          `${shard} is broken: its tensors need ${s.tensorDataEnd} bytes but the file has ${s.fileSize} (truncated?)`,
        ),
        { code: "invalid_request" },
      );
  }

  await store.blobs.init();
  const pending = await store.pending.start();
  try {
    const adopt = async (file: string): Promise<BlobRef> => {
      const { digest, size } = await store.blobs.adopt(file, (d) => pending.add([d]));
      return { digest, size };
    };
    const putText = async (text: string): Promise<BlobRef> => {
      const blob = await store.blobs.put(text);
      await pending.add([blob.digest]);
      return blob;
    };
    const weights: BlobRef[] = [];
    for (const shard of shards) weights.push(await adopt(shard));
    const licenses: BlobRef[] = [];
    for (const f of options.licenses ?? []) licenses.push(await adopt(f));
    const built = buildArtifact({
      format,
      gguf: summary,
      weights,
      licenses,
      chatTemplate: options.chatTemplate ? await adopt(options.chatTemplate) : null,
      mmproj: options.mmproj ? await adopt(options.mmproj) : null,
      systemPrompt: options.systemPrompt ? await putText(options.systemPrompt) : null,
      params: options.params ? await putText(JSON.stringify(options.params)) : null,
      contextSize: options.contextSize ?? null,
      created: store.now(),
    });
    await pending.add([built.config.digest, built.digest]);
    await store.blobs.put(built.configText);
    return await store.addModel({
      ref: key,
      manifestText: built.manifestText,
      format: options.modelFormat ?? format,
      source: options.source ?? "local",
    });
  } finally {
    await pending.release();
  }
}

/** Adopts a GGUF file (hard link when possible) as a local model in the Docker model artifact format. */
export function importGguf(
  store: ModelStore,
  file: string,
  ref: string,
  options: Omit<PackageOptions, "gguf" | "ref"> = {},
): Promise<InstalledModel> {
  return packageModel(store, {
    ...options,
    gguf: file,
    ref,
    source: options.source ?? "local",
    modelFormat: options.modelFormat ?? "gguf",
  });
}
