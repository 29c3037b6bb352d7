/**
 * Picks the GGUF files for a quant tag from a repository listing, following the convention shared by
 * Ollama, llama.cpp and Docker Model Runner: the tag is case-insensitive and picks the GGUF whose name
 * contains it (default Q4_K_M, else a sensible single file); shards are one model; an mmproj comes along.
 */
import { HuggingFaceError } from "./errors.ts";

export const DEFAULT_QUANT = "Q4_K_M";

/** When no quant is asked for and there is no Q4_K_M: good size/quality trade-offs first. */
const FALLBACK_ORDER = [
  "Q4_K_M",
  "Q4_K_S",
  "Q4_K_XL",
  "Q5_K_M",
  "Q4_0",
  "IQ4_XS",
  "Q5_K_S",
  "Q6_K",
  "Q8_0",
  "Q3_K_M",
  "BF16",
  "F16",
  "F32",
];

const SHARD = /^(.*)-(\d{5})-of-(\d{5})\.gguf$/i;
/** Quant labels as they appear in file names (llama.cpp types, Unsloth's UD- and _XL variants). */
const QUANT_LABEL =
  /(?:^|[^A-Za-z0-9])((?:UD-)?(?:I?Q\d(?:_[A-Z0-9]+)*|BF16|F16|F32|FP16|FP32|MXFP4))(?=[^A-Za-z0-9_]|$)/gi;

export interface SelectableFile {
  path: string;
}

export interface GgufSelection<F extends SelectableFile> {
  /** The quant label of the chosen model, e.g. "Q4_K_M". */
  quant: string;
  /** Weight files in shard order. */
  model: F[];
  mmproj: F | null;
}

interface ModelGroup<F> {
  /** Path without the shard suffix: what quant matching looks at. */
  name: string;
  files: F[];
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function isMmproj(path: string): boolean {
  return /mmproj/i.test(basename(path));
}

/** The quant label in a file name, upper-cased ("model-q4_k_m.gguf" → "Q4_K_M"); null if none. */
export function quantOfFile(path: string): string | null {
  const name = basename(path)
    .replace(/\.gguf$/i, "")
    .replace(SHARD, "$1");
  const labels = [...name.matchAll(QUANT_LABEL)].map((m) => m[1]!.toUpperCase());
  return labels.at(-1) ?? null;
}

function groupModels<F extends SelectableFile>(files: F[]): ModelGroup<F>[] {
  const groups = new Map<string, ModelGroup<F>>();
  for (const f of files) {
    const shard = SHARD.exec(f.path);
    const key = shard ? `${shard[1]}#${shard[3]}` : f.path;
    const group = groups.get(key) ?? { name: shard ? shard[1]! : f.path.replace(/\.gguf$/i, ""), files: [] };
    group.files.push(f);
    groups.set(key, group);
  }
  for (const g of groups.values()) {
    g.files.sort((a, b) => a.path.localeCompare(b.path));
    const shard = SHARD.exec(g.files[0]!.path);
    if (shard) {
      const total = Number(shard[3]);
      const present = g.files.map((f) => Number(SHARD.exec(f.path)![2]));
      if (present.length !== total || present.some((n, i) => n !== i + 1)) {
        throw new HuggingFaceError(
          "incomplete_shards",
          `${g.name}: the repository has shards ${present.join(", ")} of ${total}; a sharded model needs all of them`,
        );
      }
    }
  }
  return [...groups.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** True when `quant` appears in `name` as a whole label (so "Q4_K" does not pick "Q4_K_M"). */
function matchesExactly(text: string, quant: string): boolean {
  const escaped = quant.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?:^|[^a-z0-9])${escaped}(?=[^a-z0-9_]|$)`, "i").test(text);
}

function pick<F>(groups: ModelGroup<F>[], quant: string): ModelGroup<F> | undefined {
  const q = quant.toLowerCase();
  // The file name first; then the whole path, for repos that name the quant only in a folder
  // ("BF16/model-00001-of-00002.gguf").
  const tests: Array<(g: ModelGroup<F>) => boolean> = [
    (g) => matchesExactly(basename(g.name), quant),
    (g) => matchesExactly(g.name, quant),
    (g) => basename(g.name).toLowerCase().includes(q),
    (g) => g.name.toLowerCase().includes(q),
  ];
  for (const t of tests) {
    const candidates = groups.filter(t);
    // Several matches (e.g. "model-Q4_K_M" and "model-UD-Q4_K_M"): the plainest name wins.
    if (candidates.length > 0) return candidates.sort((a, b) => a.name.length - b.name.length)[0];
  }
  return undefined;
}

function pickMmproj<F extends SelectableFile>(mmprojs: F[], quant: string): F | null {
  if (mmprojs.length === 0) return null;
  const sorted = [...mmprojs].sort((a, b) => a.path.localeCompare(b.path));
  return (
    sorted.find((f) => matchesExactly(basename(f.path).replace(/\.gguf$/i, ""), quant)) ??
    sorted.find((f) => /(^|[^a-z0-9])f16([^a-z0-9]|$)/i.test(basename(f.path))) ??
    sorted[0]!
  );
}

/** Chooses the model files for `quant` (undefined: the default) among a repository's files. */
export function selectGguf<F extends SelectableFile>(
  files: F[],
  quant: string | undefined,
  repo: string,
): GgufSelection<F> {
  const ggufs = files.filter((f) => /\.gguf$/i.test(f.path));
  const groups = groupModels(ggufs.filter((f) => !isMmproj(f.path)));
  if (groups.length === 0) {
    throw new HuggingFaceError("no_gguf", `Hugging Face repository "${repo}" has no GGUF model file`);
  }
  const available = [...new Set(groups.map((g) => quantOfFile(g.files[0]!.path) ?? basename(g.name)))];
  let chosen: ModelGroup<F> | undefined;
  if (quant) {
    chosen = pick(groups, quant);
    if (!chosen) {
      throw new HuggingFaceError(
        "quant_not_found",
        `Hugging Face repository "${repo}" has no GGUF for quant "${quant}"; available: ${available.join(", ")}`,
      );
    }
  } else {
    chosen = groups.length === 1 ? groups[0] : undefined;
    for (const q of FALLBACK_ORDER) {
      if (chosen) break;
      chosen = pick(groups, q);
    }
    chosen ??= groups[0]!;
  }
  const label = quantOfFile(chosen.files[0]!.path) ?? (quant ? quant.toUpperCase() : basename(chosen.name));
  return {
    quant: label,
    model: chosen.files,
    mmproj: pickMmproj(
      ggufs.filter((f) => isMmproj(f.path)),
      label,
    ),
  };
}
