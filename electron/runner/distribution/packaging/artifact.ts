/**
 * Builds the config and manifest of a model artifact from GGUF metadata and layer descriptors, in the
 * Docker model artifact format (as docker/model-runner writes it) or as a CNCF ModelPack.
 */
import * as mt from "../../artifact/media-types.ts";
import type { Descriptor, ImageManifest } from "../../artifact/manifest.ts";
import { sha256Digest } from "../../store/blob-store.ts";
import { dockerGgufConfigMap } from "../../gguf/metadata.ts";
import type { GgufMetadata } from "../../gguf/metadata.ts";

export type PackageFormat = "docker" | "cncf";

/** The GGUF facts a config records (a subset of the GGUF summary). */
export interface GgufFacts {
  architecture: string;
  quantization: string;
  parameters: string;
  metadata: Record<string, unknown>;
}

export interface BlobRef {
  digest: string;
  size: number;
}

export interface ArtifactInput {
  format: PackageFormat;
  gguf: GgufFacts;
  /** Weight files in shard order. */
  weights: BlobRef[];
  licenses?: BlobRef[];
  chatTemplate?: BlobRef | null;
  mmproj?: BlobRef | null;
  /** Ollama's "system" and "params" layers (a default system prompt, default request options). */
  systemPrompt?: BlobRef | null;
  params?: BlobRef | null;
  contextSize?: number | null;
  created?: Date;
}

export interface BuiltArtifact {
  configText: string;
  config: BlobRef & { mediaType: string };
  manifestText: string;
  manifest: ImageManifest;
  digest: string;
}

export function buildArtifact(input: ArtifactInput): BuiltArtifact {
  if (input.weights.length === 0) throw new Error("a model artifact needs at least one GGUF weight file");
  const created = (input.created ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z");
  const totalWeights = input.weights.reduce((a, w) => a + w.size, 0);
  const layer = (mediaType: string, b: BlobRef): Descriptor => ({
    mediaType,
    digest: b.digest,
    size: b.size,
  });
  const docker = input.format === "docker";
  const layers: Descriptor[] = [
    ...input.weights.map((w) => layer(docker ? mt.DOCKER_GGUF : mt.CNCF_GGUF, w)),
    ...(input.licenses ?? []).map((l) => layer(docker ? mt.DOCKER_LICENSE : mt.CNCF_LICENSE, l)),
  ];
  if (input.chatTemplate)
    layers.push(layer(docker ? mt.DOCKER_CHAT_TEMPLATE : mt.CNCF_CHAT_TEMPLATE, input.chatTemplate));
  if (input.mmproj) {
    if (!docker) throw new Error("--mmproj is only supported in the docker format");
    layers.push(layer(mt.DOCKER_MMPROJ, input.mmproj));
  }
  if (input.systemPrompt) layers.push(layer(mt.OLLAMA_SYSTEM, input.systemPrompt));
  if (input.params) layers.push(layer(mt.OLLAMA_PARAMS, input.params));
  const diffIds = layers.map((l) => l.digest);
  const config = docker
    ? {
        config: {
          format: "gguf",
          quantization: input.gguf.quantization,
          parameters: input.gguf.parameters,
          architecture: input.gguf.architecture,
          size: String(totalWeights),
          gguf: dockerGgufConfigMap(input.gguf.metadata as GgufMetadata),
          ...(input.contextSize ? { context_size: input.contextSize } : {}),
        },
        descriptor: { created },
        rootfs: { type: "layers", diff_ids: diffIds },
      }
    : {
        descriptor: { createdAt: created },
        config: {
          architecture: input.gguf.architecture,
          format: "gguf",
          paramSize: input.gguf.parameters,
          quantization: input.gguf.quantization,
          ...(input.contextSize ? { contextSize: input.contextSize } : {}),
        },
        modelfs: { type: "layers", diffIds },
      };
  const configText = JSON.stringify(config);
  const configMediaType = docker ? mt.DOCKER_MODEL_CONFIG : mt.CNCF_CONFIG;
  const configRef = {
    mediaType: configMediaType,
    digest: sha256Digest(configText),
    size: Buffer.byteLength(configText),
  };
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: mt.OCI_MANIFEST,
    ...(docker ? {} : { artifactType: mt.CNCF_ARTIFACT }),
    config: configRef,
    layers,
  };
  const manifestText = JSON.stringify(manifest);
  return { configText, config: configRef, manifestText, manifest, digest: sha256Digest(manifestText) };
}
