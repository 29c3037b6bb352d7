/** Reading other tools' folders: directory listings that never throw, and GGUF files grouped into models. */
import { readdir, readFile, stat } from "node:fs/promises";
import type { Dirent } from "node:fs";
import { basename, join } from "node:path";
import { quantOfFile } from "../distribution/huggingface/select.ts";
import { canonicalReference } from "../artifact/reference.ts";

/** Entries of a folder, or none when it is missing or unreadable (another tool's folder is not ours to fix). */
export async function entries(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** True for a folder, following symlinks. */
export async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** A regular file's size (symlinks followed), or null when it is missing, dangling or not a file. */
export async function fileSize(path: string): Promise<number | null> {
  return stat(path).then(
    (s) => (s.isFile() ? s.size : null),
    () => null,
  );
}

/** A small text file (templates, params, manifests), or null when missing or larger than `limit`. */
export async function smallText(path: string, limit = 1 << 20): Promise<string | null> {
  const size = await fileSize(path);
  if (size === null || size > limit) return null;
  return readFile(path, "utf8").catch(() => null);
}

/** GGUF files under `dir` (symlinks followed), at most `depth` folders down. */
export async function findGgufFiles(dir: string, depth: number): Promise<string[]> {
  const out: string[] = [];
  for (const e of await entries(dir)) {
    if (e.name.startsWith(".")) continue;
    const path = join(dir, e.name);
    if (/\.gguf$/i.test(e.name)) {
      if ((await fileSize(path)) !== null) out.push(path);
    } else if (depth > 0 && (e.isDirectory() || (e.isSymbolicLink() && (await isDirectory(path))))) {
      out.push(...(await findGgufFiles(path, depth - 1)));
    }
  }
  return out.sort();
}

const SHARD = /^(.*)-(\d{5})-of-(\d{5})\.gguf$/i;

export function isProjector(path: string): boolean {
  return /mmproj/i.test(basename(path));
}

export interface GgufGroup {
  /** Weight files in shard order. */
  files: string[];
  /** Quant label from the file name ("Q4_K_M"), or null. */
  quant: string | null;
  /** The file name without shard suffix and extension. */
  stem: string;
}

/**
 * Groups GGUF files into models: shards of one model (`x-00001-of-00003.gguf`…) are one model, and only
 * when every shard is there; projectors (`mmproj`) are returned apart, never as models.
 */
export function groupGgufFiles(paths: string[]): { models: GgufGroup[]; projectors: string[] } {
  const projectors = paths.filter(isProjector);
  const byKey = new Map<string, { total: number; files: Map<number, string>; stem: string }>();
  for (const path of paths.filter((p) => !isProjector(p))) {
    const m = SHARD.exec(path);
    const key = m ? `${m[1]}#${m[3]}` : path;
    const group = byKey.get(key) ?? {
      total: m ? Number(m[3]) : 1,
      files: new Map<number, string>(),
      stem: basename(m ? m[1]! : path.replace(/\.gguf$/i, "")),
    };
    group.files.set(m ? Number(m[2]) : 1, path);
    byKey.set(key, group);
  }
  const models: GgufGroup[] = [];
  for (const g of byKey.values()) {
    const files: string[] = [];
    for (let i = 1; i <= g.total; i++) {
      const f = g.files.get(i);
      if (f) files.push(f);
    }
    // A model with a shard missing (still downloading, or half deleted) cannot load: leave it out.
    if (files.length !== g.total) continue;
    models.push({ files, quant: quantOfFile(files[0]!), stem: g.stem });
  }
  return { models, projectors };
}

/** The projector that belongs with a model among a folder's projectors: the same quant, else F16, else the first. */
export function projectorFor(group: GgufGroup, projectors: string[]): string | null {
  if (projectors.length === 0) return null;
  const sorted = [...projectors].sort();
  return (
    sorted.find((p) => group.quant !== null && quantOfFile(p) === group.quant) ??
    sorted.find((p) => /(^|[^a-z0-9])f16([^a-z0-9]|$)/i.test(basename(p))) ??
    sorted[0]!
  );
}

/** `hf.co/<org>/<repo>:<quant>` when the parts make a valid reference, else null. */
export function huggingFaceName(org: string, repo: string, quant: string | null): string | null {
  try {
    return canonicalReference(`hf.co/${org}/${repo}${quant ? `:${quant}` : ""}`);
  } catch {
    return null;
  }
}

/** A valid reference component from any text: lowercase, letters and digits with single separators. */
function component(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/[._-]{2,}/g, "-")
    .replace(/^[._-]+|[._-]+$/g, "");
  return s || "model";
}

/** A stable local name for files that no registry names: `local/<tool>/<parts…>:<tag>`. */
export function localName(tool: string, parts: string[], tag: string | null): string {
  const t =
    (tag ?? "latest")
      .replace(/[^\w.-]/g, "-")
      .replace(/^[.-]+/, "")
      .slice(0, 128) || "latest";
  return canonicalReference(`local/${[tool, ...parts].map(component).join("/")}:${t}`);
}
