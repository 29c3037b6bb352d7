/**
 * The curated catalog shipped in resources/catalog.json: its shape and a validator that names every
 * problem (the file is edited by hand, so a typo must fail the unit test, not the app).
 */

export type CatalogKind = "chat" | "vision" | "embedding";

export interface CuratedRefs {
  /** Docker Hub, always a pinned tag: "ai/gemma3:1B-Q4_K_M". */
  docker?: string;
  /** "hf.co/user/repo:QUANT" */
  huggingface?: string;
  /** "ollama.com/library/name:tag" */
  ollama?: string;
}

export interface CuratedVariant {
  /** "Q4_K_M", "Q8_0", "F16", …; "default" for an Ollama tag whose quantization is not stated. */
  quantization: string;
  /** Approximate download size in bytes (the largest known among the refs); null when unknown. */
  sizeBytes: number | null;
  refs: CuratedRefs;
}

export interface CuratedModel {
  id: string;
  name: string;
  family: string;
  kind: CatalogKind;
  description: string;
  parameters: string;
  contextLength: number;
  license: string | null;
  variants: CuratedVariant[];
}

export interface CatalogFile {
  version: 1;
  models: CuratedModel[];
}

export class CatalogFileError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid catalog:\n  ${problems.join("\n  ")}`);
    this.name = "CatalogFileError";
  }
}

const ID = /^[a-z0-9][a-z0-9.-]*$/;
const DOCKER_REF = /^ai\/[a-z0-9][a-z0-9._-]*:([A-Za-z0-9][A-Za-z0-9._-]*)$/;
const OLLAMA_REF = /^ollama\.com\/library\/[a-z0-9][a-z0-9._-]*:([a-z0-9][a-z0-9._-]*)$/;
const HF_REF = /^hf\.co\/[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*:([A-Za-z0-9_-]+)$/;
const KINDS: readonly CatalogKind[] = ["chat", "vision", "embedding"];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isText = (v: unknown, max = 200): v is string =>
  typeof v === "string" && v.trim() === v && v.length > 0 && v.length <= max && !/[\r\n]/.test(v);

/** Checks a parsed catalog file; returns it typed, or throws CatalogFileError listing every problem. */
export function validateCatalogFile(data: unknown): CatalogFile {
  const problems: string[] = [];
  if (!isObject(data)) throw new CatalogFileError(["the catalog is not a JSON object"]);
  if (data.version !== 1) problems.push(`version must be 1, got ${JSON.stringify(data.version)}`);
  if (!Array.isArray(data.models) || data.models.length === 0) {
    problems.push("models must be a non-empty list");
    throw new CatalogFileError(problems);
  }
  const ids = new Set<string>();
  data.models.forEach((m: unknown, i) => {
    const at = `models[${i}]${isObject(m) && typeof m.id === "string" ? ` (${m.id})` : ""}`;
    if (!isObject(m)) return problems.push(`${at}: not an object`);
    if (typeof m.id !== "string" || !ID.test(m.id))
      problems.push(`${at}: id must be lowercase letters, digits, "." or "-"`);
    else if (ids.has(m.id)) problems.push(`${at}: duplicate id`);
    else ids.add(m.id);
    for (const key of ["name", "family", "parameters"] as const) {
      if (!isText(m[key], 80)) problems.push(`${at}: ${key} must be a short one-line text`);
    }
    if (!isText(m.description))
      problems.push(`${at}: description must be one line of at most 200 characters`);
    if (!KINDS.includes(m.kind as CatalogKind))
      problems.push(`${at}: kind must be one of ${KINDS.join(", ")}`);
    if (!Number.isInteger(m.contextLength) || (m.contextLength as number) <= 0) {
      problems.push(`${at}: contextLength must be a positive integer`);
    }
    if (m.license !== null && !isText(m.license, 80))
      problems.push(`${at}: license must be a short text or null`);
    if (!Array.isArray(m.variants) || m.variants.length === 0) {
      return problems.push(`${at}: variants must be a non-empty list`);
    }
    const quants = new Set<string>();
    m.variants.forEach((v: unknown, j) => {
      const vat = `${at} variants[${j}]`;
      if (!isObject(v)) return problems.push(`${vat}: not an object`);
      if (!isText(v.quantization, 40)) problems.push(`${vat}: quantization must be a short text`);
      else if (quants.has(v.quantization)) problems.push(`${vat}: duplicate quantization ${v.quantization}`);
      else quants.add(v.quantization);
      if (v.sizeBytes !== null && (!Number.isSafeInteger(v.sizeBytes) || (v.sizeBytes as number) <= 0)) {
        problems.push(`${vat}: sizeBytes must be a positive integer or null`);
      }
      problems.push(...refProblems(vat, v.refs));
    });
  });
  if (problems.length > 0) throw new CatalogFileError(problems);
  return data as unknown as CatalogFile;
}

function refProblems(at: string, refs: unknown): string[] {
  if (!isObject(refs)) return [`${at}: refs must be an object`];
  const problems: string[] = [];
  const known = { docker: DOCKER_REF, huggingface: HF_REF, ollama: OLLAMA_REF } as const;
  for (const key of Object.keys(refs)) {
    if (!(key in known)) problems.push(`${at}: unknown reference kind "${key}"`);
  }
  let count = 0;
  for (const [kind, pattern] of Object.entries(known)) {
    const ref = refs[kind];
    if (ref === undefined) continue;
    count++;
    const match = typeof ref === "string" ? pattern.exec(ref) : null;
    if (!match)
      problems.push(`${at}: ${kind} reference ${JSON.stringify(ref)} is malformed (it must carry a tag)`);
    // "latest" moves (Docker Hub's ai/gemma3:latest went from 4B to 12B): the catalog pins tags.
    else if (match[1]!.toLowerCase() === "latest")
      problems.push(`${at}: ${kind} reference ${ref} uses "latest"`);
  }
  if (count === 0) problems.push(`${at}: needs at least one reference`);
  return problems;
}
