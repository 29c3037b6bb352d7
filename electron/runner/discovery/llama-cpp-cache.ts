/**
 * llama.cpp's download cache (`LLAMA_CACHE`, else `~/.cache/llama.cpp`; `~/Library/Caches/llama.cpp` on
 * macOS), filled by `llama-server -hf org/repo:quant`: files `<org>_<repo>_<file>.gguf` next to
 * `manifest=<org>=<repo>=<tag>.json` (the Hub's answer, naming `ggufFile.rfilename`). A file is named
 * `hf.co/<org>/<repo>:<quant>` when a manifest or its name says which repository it came from.
 */
import { homedir } from "node:os";
import { basename, join } from "node:path";
import {
  entries,
  findGgufFiles,
  groupGgufFiles,
  huggingFaceName,
  localName,
  smallText,
} from "./gguf-files.ts";
import type { FoundModel } from "./types.ts";

export function llamaCppRoots(env: NodeJS.ProcessEnv, home = homedir()): string[] {
  if (env.LLAMA_CACHE) return [env.LLAMA_CACHE];
  const roots = [join(env.XDG_CACHE_HOME || join(home, ".cache"), "llama.cpp")];
  if (process.platform === "darwin") roots.push(join(home, "Library", "Caches", "llama.cpp"));
  return roots;
}

interface Origin {
  org: string;
  repo: string;
}

/** File name → repository, from the `manifest=…json` files llama.cpp writes. */
async function originsFromManifests(root: string): Promise<Map<string, Origin>> {
  const origins = new Map<string, Origin>();
  for (const e of await entries(root)) {
    const m = /^manifest=([^=]+)=([^=]+)=[^=]*\.json$/.exec(e.name);
    if (!m) continue;
    const [, org, repo] = m as unknown as [string, string, string];
    let json: { ggufFile?: { rfilename?: unknown }; mmprojFile?: { rfilename?: unknown } };
    try {
      json = JSON.parse((await smallText(join(root, e.name))) ?? "null") as typeof json;
    } catch {
      continue;
    }
    for (const f of [json?.ggufFile?.rfilename, json?.mmprojFile?.rfilename])
      if (typeof f === "string") origins.set(`${org}_${repo}_${f.replaceAll("/", "_")}`, { org, repo });
  }
  return origins;
}

/** Without a manifest, `<org>_<repo>-GGUF_<file>` still names its repository (GGUF repos say so). */
function originFromName(file: string): Origin | null {
  const m = /^([^_]+)_(.+?-GGUF)_.+\.gguf$/i.exec(file);
  return m ? { org: m[1]!, repo: m[2]! } : null;
}

export async function scanLlamaCppCache(root: string): Promise<FoundModel[]> {
  const origins = await originsFromManifests(root);
  const { models, projectors } = groupGgufFiles(await findGgufFiles(root, 0));
  const out: FoundModel[] = [];
  for (const group of models) {
    const file = basename(group.files[0]!);
    const origin = origins.get(file) ?? originFromName(file);
    const tag = group.quant ?? group.stem;
    const prefix = origin ? `${origin.org}_${origin.repo}_` : null;
    const mmprojPath = prefix ? (projectors.find((p) => basename(p).startsWith(prefix)) ?? null) : null;
    out.push({
      ref:
        (origin && huggingFaceName(origin.org, origin.repo, tag)) ??
        localName("llama-cpp", [group.stem], tag),
      source: "llama-cpp-cache",
      location: root,
      ggufPaths: group.files,
      mmprojPath,
      knownDigests: {},
    });
  }
  return out;
}
