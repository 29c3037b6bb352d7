/**
 * Model references: what users type (`smollm2:135M-Q4_K_M`, `ollama.com/gemma3:1b`, `hf.co/user/repo:Q8_0`,
 * `127.0.0.1:5000/team/model@sha256:…`) parsed into one of two shapes, with a clear error for anything else.
 * Grammar follows the distribution reference grammar (docker/distribution `reference/regexp.go`) and the
 * conventions in FORMATS.md: Docker Hub bare names get `ai/` and `latest`, names are lowercased, tags are not.
 */

export const DOCKER_HUB = "docker.io";
export const DOCKER_HUB_API_HOST = "registry-1.docker.io";
export const OLLAMA_REGISTRY = "registry.ollama.ai";

export interface OciReference {
  kind: "oci";
  /** Registry host[:port] as users write it; Docker Hub is "docker.io". */
  registry: string;
  /** Repository path, e.g. "ai/smollm2" or "library/gemma3". */
  repository: string;
  /** Tag; "latest" when neither a tag nor a digest was given. Null when only a digest was given. */
  tag: string | null;
  /** "sha256:<64 hex>" when pinned. */
  digest: string | null;
}

export interface HuggingFaceReference {
  kind: "huggingface";
  user: string;
  repo: string;
  /** Quantization tag (uppercased, matched case-insensitively against file names); null picks the default. */
  quant: string | null;
}

export type ModelReference = OciReference | HuggingFaceReference;

export class ReferenceError extends Error {
  readonly code = "invalid_reference";
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`invalid model reference "${input}": ${reason}`);
    this.name = "ReferenceError";
  }
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]{1,5})?$/;
const IPV6_HOST = /^\[[0-9a-fA-F:]+\](?::[0-9]{1,5})?$/;
const HF_PART = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?$/;

const DOCKER_HUB_ALIASES = new Set([
  "docker.io",
  "index.docker.io",
  "registry-1.docker.io",
  "registry.hub.docker.com",
]);
const OLLAMA_ALIASES = new Set([
  "ollama.com",
  "www.ollama.com",
  "ollama.ai",
  "registry.ollama.ai",
  "registry.ollama.com",
]);
const HF_ALIASES = new Set(["hf.co", "huggingface.co", "www.huggingface.co"]);

/** Parses a reference; throws ReferenceError naming what is wrong. */
export function parseReference(input: string): ModelReference {
  const raw = input.trim();
  if (raw === "") throw new ReferenceError(input, "it is empty");
  if (/\s/.test(raw)) throw new ReferenceError(input, "it contains whitespace");
  if (raw.includes("://")) {
    // A web address pasted from a browser: say what to write instead (a Hub page maps to hf.co/user/repo).
    const bare = raw.slice(raw.indexOf("://") + 3).replace(/\/+$/, "");
    const [host = "", ...path] = bare.split("/");
    const suggestion = HF_ALIASES.has(host.toLowerCase()) ? `hf.co/${path.slice(0, 2).join("/")}` : bare;
    throw new ReferenceError(
      input,
      `leave out the scheme: write ${suggestion} (host/name:tag), not a web address`,
    );
  }

  const slash = raw.indexOf("/");
  const first = slash === -1 ? "" : raw.slice(0, slash);
  const firstIsHost =
    slash !== -1 &&
    (first.includes(".") || first.includes(":") || first === "localhost" || first.startsWith("["));
  if (firstIsHost && HF_ALIASES.has(first.toLowerCase()))
    return parseHuggingFace(input, raw.slice(slash + 1));

  let registry = DOCKER_HUB;
  let rest = raw;
  if (firstIsHost) {
    if (!HOST.test(first) && !IPV6_HOST.test(first))
      throw new ReferenceError(input, `"${first}" is not a valid registry host`);
    const host = first.toLowerCase();
    registry = DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB : OLLAMA_ALIASES.has(host) ? OLLAMA_REGISTRY : host;
    rest = raw.slice(slash + 1);
  }

  let digest: string | null = null;
  const at = rest.indexOf("@");
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest))
      throw new ReferenceError(
        input,
        `digest "${digest}" must be sha256: followed by 64 lowercase hex digits`,
      );
  }
  let tag: string | null = null;
  const colon = rest.lastIndexOf(":");
  if (colon !== -1) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (tag === "") throw new ReferenceError(input, "the tag after ':' is empty");
    if (!TAG.test(tag))
      throw new ReferenceError(
        input,
        `tag "${tag}" may only hold letters, digits, '_', '.', '-' (128 at most, not starting with '.' or '-')`,
      );
  }
  if (rest === "") throw new ReferenceError(input, "the model name is missing");
  const components = rest.toLowerCase().split("/");
  for (const c of components) {
    if (c === "")
      throw new ReferenceError(input, "the name has an empty path component (double or trailing '/')");
    if (!COMPONENT.test(c))
      throw new ReferenceError(
        input,
        `name component "${c}" may only hold letters, digits and single '.', '_' or '-' separators between them`,
      );
  }
  if (registry === DOCKER_HUB && components.length === 1) components.unshift("ai");
  if (registry === OLLAMA_REGISTRY && components.length === 1) components.unshift("library");
  const repository = components.join("/");
  if (repository.length > 255) throw new ReferenceError(input, "the name is longer than 255 characters");
  if (tag === null && digest === null) tag = "latest";
  return { kind: "oci", registry, repository, tag, digest };
}

function parseHuggingFace(input: string, path: string): HuggingFaceReference {
  const colon = path.lastIndexOf(":");
  let quant: string | null = null;
  let repoPath = path;
  if (colon !== -1) {
    quant = path.slice(colon + 1);
    repoPath = path.slice(0, colon);
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(quant))
      throw new ReferenceError(input, `quantization tag "${quant}" is not valid`);
    quant = quant.toLowerCase() === "latest" ? null : quant.toUpperCase();
  }
  const parts = repoPath.split("/");
  if (parts.length !== 2 || !parts[0] || !parts[1])
    throw new ReferenceError(input, "a Hugging Face reference is hf.co/<user>/<repo>[:<quant>]");
  const [user, repo] = parts as [string, string];
  for (const p of [user, repo])
    if (!HF_PART.test(p) || p.includes("--") || p.includes(".."))
      throw new ReferenceError(input, `"${p}" is not a valid Hugging Face user or repository name`);
  return { kind: "huggingface", user, repo, quant };
}

/** The canonical text of a reference: what `ls` shows and the store indexes. Docker Hub omits its host. */
export function formatReference(ref: ModelReference): string {
  if (ref.kind === "huggingface") return `hf.co/${ref.user}/${ref.repo}${ref.quant ? `:${ref.quant}` : ""}`;
  const name = ref.registry === DOCKER_HUB ? ref.repository : `${ref.registry}/${ref.repository}`;
  return `${name}${ref.tag !== null ? `:${ref.tag}` : ""}${ref.digest !== null ? `@${ref.digest}` : ""}`;
}

/** Parses then formats: the canonical form of user input. */
export function canonicalReference(input: string): string {
  return formatReference(parseReference(input));
}

/** The host the distribution API lives on (Docker Hub's API is not on docker.io). */
export function apiHost(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_API_HOST : registry;
}

/** Where a reference comes from, for InstalledModel.source. */
export function referenceSource(ref: ModelReference): string {
  return ref.kind === "huggingface" ? "huggingface" : ref.registry;
}

/** Who serves a registry, in words, for "pulls from …" before a pull starts. */
export function registryLabel(ref: ModelReference): string {
  if (ref.kind === "huggingface") return "Hugging Face";
  if (ref.registry === DOCKER_HUB) return "Docker Hub";
  if (ref.registry === OLLAMA_REGISTRY) return "Ollama library";
  return ref.registry;
}

/**
 * Where a reference pulls from: `gemma3:1b` → Docker Hub, `docker.io/ai/gemma3:1b`. Throws ReferenceError
 * for a malformed one, as a pull would.
 */
export function pullSource(input: string): { ref: string; registry: string; address: string } {
  const ref = parseReference(input);
  const canonical = formatReference(ref);
  const address =
    ref.kind === "huggingface" || ref.registry !== DOCKER_HUB ? canonical : `${DOCKER_HUB}/${canonical}`;
  return { ref: canonical, registry: registryLabel(ref), address };
}
