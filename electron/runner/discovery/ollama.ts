/**
 * Ollama's model folder: `manifests/<registry>/<namespace>/<name>/<tag>` (Docker v2 manifests) and
 * `blobs/sha256-<hex>`. `OLLAMA_MODELS` moves it; the Linux service keeps its own under /usr/share/ollama.
 * Names are the ones a pull would give: `gemma3:1b` is `registry.ollama.ai/library/gemma3:1b`.
 */
import { homedir, userInfo } from "node:os";
import { join, relative, sep } from "node:path";
import { canonicalReference } from "../artifact/reference.ts";
import { entries, smallText } from "./gguf-files.ts";
import { modelFromManifest } from "./manifest-model.ts";
import type { FoundModel } from "./types.ts";

/** The account's own home, or null where it cannot be told (no passwd entry in some containers). */
function accountHome(): string | null {
  try {
    return userInfo().homedir;
  } catch {
    return null;
  }
}

export function ollamaRoots(env: NodeJS.ProcessEnv, home = homedir()): string[] {
  if (env.OLLAMA_MODELS) return [env.OLLAMA_MODELS];
  const roots = [join(home, ".ollama", "models")];
  // The Linux service's folder is system-wide: read it for the account's real home only, so a HOME
  // pointed elsewhere (a sandbox, a test) sees that home's models and nothing else.
  if (home === accountHome()) roots.push("/usr/share/ollama/.ollama/models");
  return roots;
}

/** The path of an Ollama blob: `sha256:<hex>` is stored as `blobs/sha256-<hex>`. */
export function ollamaBlobPath(root: string, digest: string): string {
  return join(root, "blobs", digest.replace(":", "-"));
}

async function manifestFiles(dir: string, depth: number): Promise<string[]> {
  const out: string[] = [];
  for (const e of await entries(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory() && depth > 0) out.push(...(await manifestFiles(path, depth - 1)));
    else if (e.isFile() && depth === 0) out.push(path);
  }
  return out;
}

export async function scanOllama(root: string): Promise<FoundModel[]> {
  const manifests = join(root, "manifests");
  const out: FoundModel[] = [];
  // registry / namespace / name / tag
  for (const file of await manifestFiles(manifests, 3)) {
    const parts = relative(manifests, file).split(sep);
    const tag = parts.pop()!;
    let ref: string;
    try {
      ref = canonicalReference(`${parts.join("/")}:${tag}`);
    } catch {
      continue;
    }
    const manifestText = await smallText(file);
    if (manifestText === null) continue;
    const model = await modelFromManifest({
      ref,
      source: "ollama",
      location: root,
      manifestText,
      blobPath: (d) => ollamaBlobPath(root, d),
    });
    if (model) out.push(model);
  }
  return out;
}
