/**
 * Docker Model Runner's local store (`MODELS_PATH`, else `~/.docker/models`, as Docker Desktop keeps it):
 * `models.json` lists `{id, tags, files}`, manifests sit at `manifests/sha256/<hex>` and blobs at
 * `blobs/sha256/<hex>`. Its models are Docker model artifacts, named by their tags (`ai/smollm2:latest`).
 */
import { homedir } from "node:os";
import { join } from "node:path";
import { canonicalReference } from "../artifact/reference.ts";
import { smallText } from "./gguf-files.ts";
import { modelFromManifest } from "./manifest-model.ts";
import type { FoundModel } from "./types.ts";

export function dockerModelRunnerRoots(env: NodeJS.ProcessEnv, home = homedir()): string[] {
  if (env.MODELS_PATH) return [env.MODELS_PATH];
  return [join(env.DOCKER_CONFIG || join(home, ".docker"), "models")];
}

const hexOf = (digest: string) => digest.replace(/^sha256:/, "");

export async function scanDockerModelRunner(root: string): Promise<FoundModel[]> {
  let index: { models?: Array<{ id?: unknown; tags?: unknown }> };
  try {
    index = JSON.parse((await smallText(join(root, "models.json"), 16 << 20)) ?? "{}") as typeof index;
  } catch {
    return [];
  }
  const out: FoundModel[] = [];
  for (const entry of Array.isArray(index.models) ? index.models : []) {
    if (typeof entry?.id !== "string" || !/^sha256:[a-f0-9]{64}$/.test(entry.id)) continue;
    const manifestText = await smallText(join(root, "manifests", "sha256", hexOf(entry.id)));
    if (manifestText === null) continue;
    for (const tag of Array.isArray(entry.tags) ? entry.tags : []) {
      let ref: string;
      try {
        ref = canonicalReference(String(tag));
      } catch {
        continue;
      }
      const model = await modelFromManifest({
        ref,
        source: "docker-model-runner",
        location: root,
        manifestText,
        blobPath: (d) => join(root, "blobs", "sha256", hexOf(d)),
      });
      if (model) out.push(model);
    }
  }
  return out;
}
