/**
 * Manifest shapes and model-format detection. A manifest is a model when its media types say so
 * (Docker model artifact, CNCF ModelPack, Ollama); anything else is "not a model artifact".
 */
import * as mt from "./media-types.ts";
import type { ModelFormat } from "../models.ts";

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { architecture?: string; os?: string };
  artifactType?: string;
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
}

export type RegistryFormat = Exclude<ModelFormat, "huggingface" | "gguf">;

export class NotAModelError extends Error {
  readonly code = "not_a_model";
  constructor(
    readonly where: string,
    readonly mediaTypes: string[],
  ) {
    super(
      `${where} is not a model artifact (media types found: ${mediaTypes.join(", ") || "none"}); ` +
        "Hangar pulls Docker model artifacts, CNCF ModelPacks and Ollama models",
    );
    this.name = "NotAModelError";
  }
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * The largest blob a manifest may declare (1 TiB; the biggest single GGUF files are a few hundred GB).
 * A declared size is planned for before any byte arrives: 2^53-1 must be refused, not planned.
 */
export const MAX_BLOB_BYTES = 2 ** 40;
/** Manifests, indexes and configs are small JSON documents; registries cap them at a few MiB too. */
export const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

function isDescriptor(d: unknown): d is Descriptor {
  const x = d as Descriptor;
  return (
    typeof x === "object" &&
    x !== null &&
    typeof x.mediaType === "string" &&
    typeof x.digest === "string" &&
    DIGEST.test(x.digest) &&
    Number.isSafeInteger(x.size) &&
    x.size >= 0
  );
}

export function isIndex(m: unknown, mediaType?: string): m is ImageIndex {
  const x = m as ImageIndex;
  const type = x?.mediaType ?? mediaType;
  return (
    Array.isArray(x?.manifests) &&
    (type === mt.OCI_INDEX || type === mt.DOCKER_MANIFEST_LIST || !("layers" in x))
  );
}

/** Validates the shape of an image manifest; throws naming the first problem. */
export function parseImageManifest(json: unknown, where: string): ImageManifest {
  const m = json as ImageManifest;
  if (typeof m !== "object" || m === null) throw new Error(`${where}: manifest is not a JSON object`);
  if (m.schemaVersion !== 2)
    throw new Error(`${where}: manifest schemaVersion must be 2 (got ${String(m.schemaVersion)})`);
  if (!isDescriptor(m.config)) throw new Error(`${where}: manifest has no valid config descriptor`);
  if (!Array.isArray(m.layers) || !m.layers.every(isDescriptor))
    throw new Error(`${where}: manifest layers must be descriptors with mediaType, sha256 digest and size`);
  if (m.config.size > MAX_DOCUMENT_BYTES)
    throw new Error(
      `${where}: the manifest declares a config of ${m.config.size} bytes; configs are limited to ${MAX_DOCUMENT_BYTES}`,
    );
  const huge = m.layers.find((l) => l.size > MAX_BLOB_BYTES);
  if (huge)
    throw new Error(
      `${where}: layer ${huge.digest} declares ${huge.size} bytes, more than the ${MAX_BLOB_BYTES} (1 TiB) accepted for one blob`,
    );
  return m;
}

/** The model format a manifest holds, from its media types. */
export function detectFormat(m: ImageManifest, where: string): RegistryFormat {
  const types = m.layers.map((l) => l.mediaType);
  if (m.config.mediaType === mt.DOCKER_MODEL_CONFIG && types.includes(mt.DOCKER_GGUF)) return "docker";
  if (
    (m.config.mediaType === mt.CNCF_CONFIG || m.artifactType === mt.CNCF_ARTIFACT) &&
    types.includes(mt.CNCF_GGUF)
  )
    return "cncf";
  if (types.includes(mt.OLLAMA_MODEL)) return "ollama";
  throw new NotAModelError(where, [...new Set([m.config.mediaType, ...types])]);
}

/** The layers of a model by role. */
export interface ModelLayers {
  gguf: Descriptor[];
  mmproj: Descriptor | null;
  license: Descriptor[];
  chatTemplate: Descriptor | null;
  ollamaTemplate: Descriptor | null;
  params: Descriptor | null;
  system: Descriptor | null;
}

export function modelLayers(m: ImageManifest, format: RegistryFormat): ModelLayers {
  const of = (...types: string[]) => m.layers.filter((l) => types.includes(l.mediaType));
  const one = (...types: string[]) => of(...types)[0] ?? null;
  switch (format) {
    case "docker":
      return {
        gguf: of(mt.DOCKER_GGUF),
        mmproj: one(mt.DOCKER_MMPROJ, mt.DOCKER_MMPROJ_DRAFT),
        license: of(mt.DOCKER_LICENSE),
        chatTemplate: one(mt.DOCKER_CHAT_TEMPLATE),
        ollamaTemplate: null,
        // Hangar packages a default system prompt and request options as Ollama's layers.
        params: one(mt.OLLAMA_PARAMS),
        system: one(mt.OLLAMA_SYSTEM),
      };
    case "cncf":
      return {
        gguf: of(mt.CNCF_GGUF),
        mmproj: null,
        license: of(mt.CNCF_LICENSE),
        chatTemplate: one(mt.CNCF_CHAT_TEMPLATE),
        ollamaTemplate: null,
        params: one(mt.OLLAMA_PARAMS),
        system: one(mt.OLLAMA_SYSTEM),
      };
    case "ollama":
      return {
        gguf: of(mt.OLLAMA_MODEL),
        mmproj: one(mt.OLLAMA_PROJECTOR),
        license: of(mt.OLLAMA_LICENSE),
        chatTemplate: null,
        ollamaTemplate: one(mt.OLLAMA_TEMPLATE),
        params: one(mt.OLLAMA_PARAMS),
        system: one(mt.OLLAMA_SYSTEM),
      };
    default:
      return format satisfies never;
  }
}
