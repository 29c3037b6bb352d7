/**
 * The models a runner can use: those in Hangar's store, then those other tools keep on this computer,
 * used in place. A reference the store lacks is looked for among the discovered models before anything
 * is downloaded; a discovered model is read where it is and never enters the store index unless adopted.
 */
import type { InstalledModel, ModelLibrary, ResolvedModel, TagOptions } from "../models.ts";
import type { PullOptions } from "../distribution/pull.ts";
import { ModelNotFoundError } from "../models.ts";
import type { ModelStore } from "../store/model-store.ts";
import type { DiscoveredModel, ModelDiscovery } from "./discovery.ts";
import { freemem, totalmem } from "node:os";
import { memoryFit } from "../gguf/memory.ts";
import { SOURCE_LABELS } from "./types.ts";
import { adoptModel, type AdoptResult } from "./adopt.ts";

export class ForeignModelError extends Error {
  readonly code = "invalid_request";
  constructor(
    readonly model: DiscoveredModel,
    action: string,
  ) {
    super(
      `${model.ref} belongs to ${SOURCE_LABELS[model.source]} (${model.location}); Hangar does not ${action} ` +
        `another tool's files. Run: hangar adopt ${model.ref}, to keep a copy of its own`,
    );
    this.name = "ForeignModelError";
  }
}

/** The InstalledModel of a discovered model: `source` names the tool, `location` its folder. */
export function discoveredInstalled(m: DiscoveredModel): InstalledModel {
  return {
    ref: m.ref,
    digest: m.digest,
    format: m.manifest ? (m.source === "ollama" ? "ollama" : "docker") : "gguf",
    size: m.size,
    architecture: m.architecture,
    quantization: m.quantization,
    parameters: m.parameters,
    contextLength: m.contextLength,
    source: m.source,
    location: m.location,
    memory: { estimateBytes: m.memoryBytes, fit: memoryFit(m.memoryBytes, totalmem(), freemem()) },
    createdAt: m.modifiedAt,
    lastUsedAt: null,
  };
}

export function discoveredResolved(m: DiscoveredModel): ResolvedModel {
  return {
    ...discoveredInstalled(m),
    ggufPaths: m.ggufPaths,
    mmprojPath: m.mmprojPath,
    chatTemplate: m.chatTemplate ?? null,
    params: m.params ?? null,
    systemPrompt: m.systemPrompt ?? null,
    license: m.license ?? null,
  };
}

export class LibraryWithDiscovery implements ModelLibrary {
  constructor(
    readonly store: ModelStore,
    readonly discovery: ModelDiscovery,
    /** How models are pulled (the runner's pull queue, or a direct pull in the CLI). */
    private readonly pullModel: (ref: string, options: PullOptions) => Promise<InstalledModel>,
  ) {}

  /** Stored models, then discovered ones whose name the store does not hold. */
  async list(): Promise<InstalledModel[]> {
    const stored = await this.store.list();
    const names = new Set(stored.map((m) => m.ref));
    const found = (await this.discovery.list()).filter((m) => !names.has(m.ref)).map(discoveredInstalled);
    return [...stored, ...found];
  }

  /** The discovered model a reference names when the store does not hold it. */
  async discovered(ref: string): Promise<DiscoveredModel | null> {
    if ((await this.store.index.get(this.store.key(ref)).catch(() => undefined)) !== undefined) return null;
    return this.discovery.find(ref);
  }

  async resolve(ref: string): Promise<ResolvedModel> {
    try {
      return await this.store.resolve(ref);
    } catch (error) {
      if (!(error instanceof ModelNotFoundError)) throw error;
      const found = await this.discovery.find(ref);
      if (!found) throw error;
      return discoveredResolved(found);
    }
  }

  /** A model already on this computer is used where it is: nothing is downloaded or copied. */
  async pull(ref: string, options: PullOptions = {}): Promise<InstalledModel> {
    const found = await this.discovered(ref);
    if (found) {
      options.onProgress?.({
        ref: found.ref,
        phase: "done",
        completedBytes: 0,
        totalBytes: 0,
        bytesPerSecond: 0,
        etaSeconds: null,
        message: `already on this computer (${SOURCE_LABELS[found.source]}: ${found.location}); used in place`,
      });
      return discoveredInstalled(found);
    }
    return this.pullModel(ref, { ...options, findLocalBlob: (d, size) => this.discovery.findBlob(d, size) });
  }

  /** Brings a discovered model into the store (reflink or verified copy); see adopt.ts. */
  async adopt(ref: string): Promise<AdoptResult> {
    const found = await this.discovered(ref);
    if (found) return adoptModel(this.store, found);
    if ((await this.store.index.get(this.store.key(ref)).catch(() => undefined)) !== undefined)
      throw Object.assign(new Error(`${ref} is already in Hangar's store`), { code: "conflict" });
    throw new ModelNotFoundError(ref);
  }

  async remove(ref: string): Promise<void> {
    const found = await this.discovered(ref);
    if (found) throw new ForeignModelError(found, "delete");
    await this.store.remove(ref);
  }

  async tag(source: string, target: string, options?: TagOptions): Promise<void> {
    const found = await this.discovered(source);
    if (found) throw new ForeignModelError(found, "rename");
    await this.store.tag(source, target, options);
  }

  /** Use of a discovered model is not recorded: recording it would mean writing into the store index. */
  async touch(ref: string): Promise<void> {
    if (await this.discovered(ref)) return;
    await this.store.touch(ref);
  }
}
