/** Turns a stored manifest and config into the InstalledModel the rest of the runner sees. */
import type { InstalledModel } from "../models.ts";
import * as mt from "../artifact/media-types.ts";
import type { ImageManifest } from "../artifact/manifest.ts";
import type { IndexEntry } from "./model-index.ts";

interface ConfigFacts {
  architecture: string | null;
  quantization: string | null;
  parameters: string | null;
  contextLength: number | null;
}

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
const int = (v: unknown) => {
  const n = typeof v === "string" ? Number(v) : v;
  return typeof n === "number" && Number.isInteger(n) && n > 0 ? n : null;
};

/** Reads architecture, quantization, parameters and context length from any of the three config shapes. */
export function configFacts(configMediaType: string, config: unknown): ConfigFacts {
  const c = (config ?? {}) as Record<string, unknown>;
  if (configMediaType === mt.DOCKER_MODEL_CONFIG) {
    const inner = (c.config ?? {}) as Record<string, unknown>;
    const gguf = (inner.gguf ?? {}) as Record<string, unknown>;
    const arch = str(inner.architecture) ?? str(gguf["general.architecture"]);
    return {
      architecture: arch,
      quantization: str(inner.quantization),
      parameters: str(inner.parameters),
      contextLength: int(inner.context_size) ?? (arch ? int(gguf[`${arch}.context_length`]) : null),
    };
  }
  if (configMediaType === mt.CNCF_CONFIG) {
    const inner = (c.config ?? {}) as Record<string, unknown>;
    return {
      architecture: str(inner.architecture),
      quantization: str(inner.quantization) ?? str(inner.precision),
      parameters: str(inner.paramSize),
      contextLength: int(inner.contextSize),
    };
  }
  // Ollama: "architecture" there is the CPU platform (amd64); the model family is the architecture.
  return {
    architecture: str(c.model_family),
    quantization: str(c.file_type),
    parameters: str(c.model_type),
    contextLength: int(c.context_length),
  };
}

export function installedModel(
  ref: string,
  entry: IndexEntry,
  manifest: ImageManifest,
  config: unknown,
): InstalledModel {
  return {
    ref,
    digest: entry.digest,
    format: entry.format,
    size: manifest.layers.reduce((a, l) => a + l.size, manifest.config.size),
    ...configFacts(manifest.config.mediaType, config),
    source: entry.source,
    createdAt: entry.createdAt,
    lastUsedAt: entry.lastUsedAt,
  };
}
