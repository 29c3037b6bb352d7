/**
 * The Hugging Face hub cache (`HF_HUB_CACHE`, else `HF_HOME/hub`, else `~/.cache/huggingface/hub`):
 * `models--<org>--<repo>/snapshots/<revision>/<file>` are symlinks into `blobs/<sha256>` for LFS files,
 * so the blob's name is the file's sha256. Each GGUF model there is `hf.co/<org>/<repo>:<quant>`.
 */
import { readlink } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, join, relative } from "node:path";
import {
  entries,
  findGgufFiles,
  groupGgufFiles,
  huggingFaceName,
  projectorFor,
  smallText,
} from "./gguf-files.ts";
import type { FoundModel } from "./types.ts";

export function hfCacheRoots(env: NodeJS.ProcessEnv, home = homedir()): string[] {
  if (env.HF_HUB_CACHE) return [env.HF_HUB_CACHE];
  if (env.HF_HOME) return [join(env.HF_HOME, "hub")];
  return [join(env.XDG_CACHE_HOME || join(home, ".cache"), "huggingface", "hub")];
}

/** The sha256 a snapshot symlink points at (`…/blobs/<64 hex>`), or null for a real file or a git blob. */
async function linkedDigest(path: string): Promise<string | null> {
  const target = await readlink(path).catch(() => null);
  const name = target ? basename(target) : "";
  return /^[a-f0-9]{64}$/.test(name) ? `sha256:${name}` : null;
}

export async function scanHfCache(root: string): Promise<FoundModel[]> {
  const out: FoundModel[] = [];
  for (const repoDir of await entries(root)) {
    const parts = repoDir.name.split("--");
    if (parts[0] !== "models" || parts.length !== 3 || !repoDir.isDirectory()) continue;
    const [, org, repo] = parts as [string, string, string];
    const dir = join(root, repoDir.name);
    // The snapshot `refs/main` names first; files only older snapshots hold still count.
    const main = (await smallText(join(dir, "refs", "main"), 256))?.trim();
    const revisions = (await entries(join(dir, "snapshots"))).map((e) => e.name).sort();
    if (main && revisions.includes(main)) revisions.unshift(...revisions.splice(revisions.indexOf(main), 1));
    const seen = new Set<string>();
    const files: string[] = [];
    for (const rev of revisions) {
      const snapshot = join(dir, "snapshots", rev);
      for (const f of await findGgufFiles(snapshot, 3)) {
        const rel = relative(snapshot, f);
        if (seen.has(rel)) continue;
        seen.add(rel);
        files.push(f);
      }
    }
    const { models, projectors } = groupGgufFiles(files);
    for (const group of models) {
      const ref = huggingFaceName(org, repo, group.quant ?? group.stem);
      if (!ref) continue;
      const knownDigests: Record<string, string> = {};
      const mmprojPath = projectorFor(group, projectors);
      for (const f of [...group.files, ...(mmprojPath ? [mmprojPath] : [])]) {
        const digest = await linkedDigest(f);
        if (digest) knownDigests[f] = digest;
      }
      out.push({
        ref,
        source: "huggingface-cache",
        location: dir,
        ggufPaths: group.files,
        mmprojPath,
        knownDigests,
      });
    }
  }
  return out;
}
