/**
 * A folder the user added. When it is another tool's folder (an Ollama or Docker Model Runner store, a
 * Hugging Face cache, an LM Studio models folder) it is read with that tool's layout and source; anything
 * else is loose GGUF files: `local/<folder>/<file>:<quant>`.
 */
import { basename, join } from "node:path";
import {
  entries,
  fileSize,
  findGgufFiles,
  groupGgufFiles,
  isDirectory,
  localName,
  projectorFor,
} from "./gguf-files.ts";
import { scanDockerModelRunner } from "./docker-model-runner.ts";
import { scanHfCache } from "./hf-cache.ts";
import { scanOllama } from "./ollama.ts";
import type { FoundModel } from "./types.ts";

async function looseFiles(root: string): Promise<FoundModel[]> {
  const { models, projectors } = groupGgufFiles(await findGgufFiles(root, 3));
  return models.map((group) => ({
    ref: localName(basename(root), [group.stem], group.quant),
    source: "folder",
    location: root,
    ggufPaths: group.files,
    mmprojPath: projectorFor(group, projectors),
    knownDigests: {},
  }));
}

export async function scanFolder(root: string): Promise<FoundModel[]> {
  if ((await isDirectory(join(root, "manifests"))) && (await isDirectory(join(root, "blobs"))))
    return (await fileSize(join(root, "models.json"))) !== null
      ? scanDockerModelRunner(root)
      : scanOllama(root);
  if ((await entries(root)).some((e) => e.name.startsWith("models--"))) return scanHfCache(root);
  return looseFiles(root);
}
