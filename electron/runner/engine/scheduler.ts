/**
 * The Engine: loads a model on first request into its own supervised worker process, runs up to
 * `parallel` requests on it at once with a bounded queue behind them, unloads it after its keep-alive,
 * and keeps all loaded models within a memory budget by evicting idle ones, least recently used first.
 * A running generation is never interrupted to make room.
 */
import type { Logger } from "../logs/types.ts";
import { ModelNotFoundError, type ResolvedModel } from "../models.ts";
import {
  estimateFootprint,
  resolveEngineSettings,
  type EngineSettings,
  type ModelFootprint,
  type ResolvedEngineSettings,
} from "./engine-settings.ts";
import { ModelSlot } from "./model-slot.ts";
import {
  EngineError,
  type ChatRequest,
  type CompletionRequest,
  type EmbeddingRequest,
  type Engine,
  type GenerationEvent,
  type LoadedModelInfo,
  type LoadOptions,
  type SamplingOptions,
  type Usage,
} from "./types.ts";
import { LoadProgress } from "./load-progress.ts";
import { withModelDefaults, withSystemPrompt } from "./model-defaults.ts";
import type { WorkerClient, WorkerLaunchOptions, WorkerLoadInfo } from "./worker-client.ts";
import { WorkerSupply } from "./worker-supply.ts";

export interface SchedulerOptions {
  resolveModel: (ref: string) => Promise<ResolvedModel>;
  /** Told of each use of a model (a load, a request), with its canonical reference: "last used". */
  onUse?: (ref: string) => void;
  logger: Logger;
  settings?: EngineSettings;
  launch?: WorkerLaunchOptions;
  /** Milliseconds since the epoch; Date.now by default. */
  clock?: () => number;
  /** Keep a worker forked and ready for the next load (default true). */
  prefork?: boolean;
  /** How much memory a model needs at a context size; by default read from its GGUF header. */
  estimateFootprint?: (
    model: ResolvedModel,
    contextSize: number,
    parallel: number,
  ) => Promise<ModelFootprint>;
}

const MiB = 1024 * 1024;

export class Scheduler implements Engine {
  private readonly slots = new Map<string, ModelSlot>();
  private readonly loading = new Map<string, Promise<ModelSlot>>();
  /** Per model file: how its chat wrapper was resolved, so a later load skips that (chat-wrapper-choice.ts). */
  private readonly chatWrappers = new Map<string, NonNullable<WorkerLoadInfo["chatWrapper"]>>();
  private readonly listeners = new Set<() => void>();
  private readonly settings: ResolvedEngineSettings;
  private readonly clock: () => number;
  private readonly workers: WorkerSupply;
  private readonly progress: LoadProgress;
  private closed = false;

  constructor(private readonly options: SchedulerOptions) {
    this.settings = resolveEngineSettings(options.settings);
    this.clock = options.clock ?? Date.now;
    this.progress = new LoadProgress(options.logger);
    this.workers = new WorkerSupply({
      gpu: this.settings.gpu,
      logLevel: this.settings.logLevel,
      logger: options.logger,
      ...(options.launch ? { launch: options.launch } : {}),
      ...(options.prefork !== undefined ? { prefork: options.prefork } : {}),
      busy: () => [...this.slots.values()].some((slot) => slot.active > 0 || slot.state === "loading"),
    });
  }

  chat(request: ChatRequest, signal?: AbortSignal): AsyncIterable<GenerationEvent> {
    return this.generate(request, signal, (worker, model) =>
      worker.generate(
        {
          type: "chat",
          messages: withSystemPrompt(request.messages, model),
          sampling: samplingOf(withModelDefaults(request, model)),
          ...(request.responseFormat ? { responseFormat: request.responseFormat } : {}),
          ...(request.tools ? { tools: request.tools } : {}),
          ...(request.toolChoice !== undefined ? { toolChoice: request.toolChoice } : {}),
          ...(request.think !== undefined ? { think: request.think } : {}),
          ...(request.logprobs !== undefined ? { logprobs: request.logprobs } : {}),
        },
        signal,
      ),
    );
  }

  complete(request: CompletionRequest, signal?: AbortSignal): AsyncIterable<GenerationEvent> {
    return this.generate(request, signal, (worker, model) =>
      worker.generate(
        {
          type: "complete",
          prompt: request.prompt,
          sampling: samplingOf(withModelDefaults(request, model)),
          ...(request.logprobs !== undefined ? { logprobs: request.logprobs } : {}),
        },
        signal,
      ),
    );
  }

  async embed(
    request: EmbeddingRequest,
    signal?: AbortSignal,
  ): Promise<{ embeddings: number[][]; usage: Usage }> {
    const slot = await this.acquire(request.model, request, signal);
    try {
      return await slot.worker!.embed(request.input);
    } finally {
      this.release(slot);
    }
  }

  async load(ref: string, options: LoadOptions = {}): Promise<void> {
    const model = await this.resolve(ref);
    const slot = await this.ensureLoaded(model, options);
    slot.setKeepAlive(options.keepAliveSeconds);
    this.options.onUse?.(model.ref);
    this.emit();
  }

  async unload(ref: string): Promise<void> {
    const canonical = this.slots.has(ref)
      ? ref
      : await this.resolve(ref).then(
          (m) => m.ref,
          () => ref,
        );
    const slot = this.slots.get(canonical);
    if (slot) await this.stopSlot(slot, "unloaded on request");
  }

  async unloadAll(): Promise<void> {
    await Promise.all([...this.slots.values()].map((slot) => this.stopSlot(slot, "unloaded on request")));
  }

  loaded(): LoadedModelInfo[] {
    return [...this.slots.values()].filter((s) => s.state === "ready").map((s) => s.describe());
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.loading.values()]);
    await Promise.all([this.unloadAll(), this.workers.close()]);
    this.listeners.clear();
  }

  private async *generate(
    request: LoadOptions & { model: string },
    signal: AbortSignal | undefined,
    start: (
      worker: WorkerClient,
      model: ResolvedModel,
    ) => AsyncIterable<Exclude<GenerationEvent, { type: "loading" }>>,
  ): AsyncGenerator<GenerationEvent> {
    const model = await this.resolve(request.model);
    if (this.slots.get(model.ref)?.state !== "ready") {
      yield { type: "loading" };
      const loading = this.ensureLoaded(model, request);
      yield* this.progress.until(model.ref, loading);
      await loading;
    }
    const slot = await this.acquireResolved(model, request, signal);
    try {
      for await (const event of start(slot.worker!, model)) {
        yield event;
      }
    } finally {
      this.release(slot);
    }
  }

  private async acquire(
    ref: string,
    options: LoadOptions,
    signal: AbortSignal | undefined,
  ): Promise<ModelSlot> {
    return this.acquireResolved(await this.resolve(ref), options, signal);
  }

  /** Loads the model if needed and takes one of its sequences (waiting in its queue when all are busy). */
  private async acquireResolved(
    model: ResolvedModel,
    options: LoadOptions,
    signal: AbortSignal | undefined,
  ): Promise<ModelSlot> {
    for (;;) {
      if (this.closed) throw new EngineError("cancelled", "the engine is closed");
      const slot = await this.ensureLoaded(model, options);
      // false: the model was unloaded or its worker died while this request waited; load it again.
      if (await slot.acquire(signal)) {
        slot.setKeepAlive(options.keepAliveSeconds);
        this.options.onUse?.(model.ref);
        this.emit();
        return slot;
      }
    }
  }

  private release(slot: ModelSlot): void {
    slot.release();
    this.emit();
  }

  private async resolve(ref: string): Promise<ResolvedModel> {
    try {
      return await this.options.resolveModel(ref);
    } catch (error) {
      if (error instanceof ModelNotFoundError || (error as { code?: unknown })?.code === "not_found")
        throw new EngineError("not_found", (error as Error).message);
      throw error;
    }
  }

  private async ensureLoaded(model: ResolvedModel, options: LoadOptions): Promise<ModelSlot> {
    const ready = this.slots.get(model.ref);
    if (ready?.state === "ready") return ready;
    let pending = this.loading.get(model.ref);
    if (!pending) {
      pending = this.startLoad(model, options).finally(() => this.loading.delete(model.ref));
      this.loading.set(model.ref, pending);
    }
    return pending;
  }

  private async startLoad(model: ResolvedModel, options: LoadOptions): Promise<ModelSlot> {
    const { settings } = this;
    const estimate = this.options.estimateFootprint ?? estimateFootprint;
    const footprint = await estimate(
      model,
      options.contextSize ?? settings.contextSize,
      settings.parallel,
    ).catch((error: unknown) => {
      throw new EngineError("load_failed", `cannot load ${model.ref}: ${(error as Error).message}`);
    });
    await this.makeRoom(model.ref, footprint.memoryBytes);
    const slot = new ModelSlot(
      model.ref,
      footprint.memoryBytes,
      footprint.contextSize,
      {
        parallel: settings.parallel,
        maxQueue: settings.maxQueue,
        keepAliveSeconds: settings.keepAliveSeconds,
      },
      this.clock,
      (expired) => void this.stopSlot(expired, "keep-alive expired"),
    );
    this.slots.set(model.ref, slot);
    const log = this.options.logger;
    log.info("engine", `loading ${model.ref}`, {
      memoryBytes: footprint.memoryBytes,
      contextSize: footprint.contextSize,
    });
    const fileKey = `${model.digest} ${model.ggufPaths[0]}`;
    const chatWrapper = this.chatWrappers.get(fileKey);
    try {
      const worker = this.workers.take();
      const info = await worker
        .load(
          model.ref,
          {
            modelPath: model.ggufPaths[0]!,
            ...(settings.threads === undefined ? {} : { threads: settings.threads }),
            useMmap: settings.useMmap,
            ...(settings.settleAfterIdleMs === undefined
              ? {}
              : { settleAfterIdleMs: settings.settleAfterIdleMs }),
            contextSize: footprint.contextSize,
            sequences: settings.parallel,
            ...(chatWrapper ? { chatWrapper } : {}),
          },
          this.progress.reporter(model.ref),
        )
        .finally(() => this.workers.refill());
      worker.onExit((exit) => {
        if (this.slots.get(model.ref) === slot) this.slots.delete(model.ref);
        slot.markGone();
        if (!exit.expected) {
          const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
          log.log({
            level: "error",
            source: "engine",
            model: model.ref,
            message: `worker died (${how}); it restarts on the next request`,
          });
        }
        this.emit();
      });
      if (info.chatWrapper) this.chatWrappers.set(fileKey, info.chatWrapper);
      worker.onWeights((placement, ms) => {
        if (slot.info) slot.info = { ...slot.info, weights: placement };
        log.info(
          "engine",
          `${model.ref} now reads its weights from memory (read in ${Math.round(ms)} ms while idle)`,
          {
            readMs: Math.round(ms),
          },
        );
        this.emit();
      });
      slot.worker = worker;
      slot.info = info;
      slot.state = "ready";
      slot.loadedAt = this.clock();
      log.info("engine", `loaded ${model.ref} on ${info.backend}, ${info.threads} threads`, {
        pid: worker.pid,
        threads: info.threads,
        contextSize: info.contextSize,
      });
      if (this.closed) await worker.stop();
      this.emit();
      return slot;
    } catch (error) {
      if (this.slots.get(model.ref) === slot) this.slots.delete(model.ref);
      slot.markGone();
      log.log({ level: "error", source: "engine", model: model.ref, message: (error as Error).message });
      this.emit();
      throw error;
    }
  }

  /** Evicts idle models, least recently used first, until `bytes` more fit in the budget. */
  private async makeRoom(ref: string, bytes: number): Promise<void> {
    const budget = this.settings.memoryBudgetBytes;
    if (bytes > budget)
      throw new EngineError(
        "load_failed",
        `${ref} needs about ${Math.ceil(bytes / MiB)} MiB, more than the memory budget of ${Math.floor(budget / MiB)} MiB`,
      );
    const used = () => [...this.slots.values()].reduce((sum, s) => sum + s.memoryBytes, 0);
    const evictions: Promise<void>[] = [];
    while (used() + bytes > budget) {
      const victim = [...this.slots.values()]
        .filter((s) => s.idle)
        .sort((a, b) => a.lastUsedAt - b.lastUsedAt)[0];
      if (!victim) {
        await Promise.all(evictions);
        throw new EngineError(
          "overloaded",
          `not enough memory budget to load ${ref} (needs about ${Math.ceil(bytes / MiB)} MiB; ` +
            `${Math.ceil(used() / MiB)} of ${Math.floor(budget / MiB)} MiB held by models that are busy)`,
          5,
        );
      }
      evictions.push(this.stopSlot(victim, `evicted to make room for ${ref}`));
    }
    await Promise.all(evictions);
  }

  private async stopSlot(slot: ModelSlot, why: string): Promise<void> {
    if (this.slots.get(slot.ref) === slot) this.slots.delete(slot.ref);
    const worker = slot.worker;
    slot.markGone();
    this.options.logger.info("engine", `unloading ${slot.ref}: ${why}`);
    this.emit();
    await worker?.stop();
  }

  private emit(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        this.options.logger.warn("engine", `onChange listener failed: ${(error as Error).message}`);
      }
    }
  }
}

function samplingOf(request: SamplingOptions): SamplingOptions {
  const keys = [
    "temperature",
    "topP",
    "topK",
    "maxTokens",
    "stop",
    "seed",
    "presencePenalty",
    "frequencyPenalty",
    "repeatPenalty",
  ] as const;
  const out: Record<string, unknown> = {};
  for (const key of keys) if (request[key] !== undefined) out[key] = request[key];
  return out as SamplingOptions;
}
