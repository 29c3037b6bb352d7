/**
 * What runs inside an inference worker process: node-llama-cpp with one model, one context with N
 * sequences (one per request in flight), and an embedding context made on first use. It answers
 * operations with messages through `send`; the process wiring is in entry.ts.
 */
import type { Llama, LlamaContextSequence } from "node-llama-cpp";
import os from "node:os";
import type { LogLevel } from "../../logs/types.ts";
import type { GpuSetting } from "../engine-settings.ts";
import { ChatHistoryError } from "./chat-history.ts";
import {
  finishReasonOf,
  runChat,
  runCompletion,
  type RunOptions,
  type RunResult,
} from "./generation-runs.ts";
import { LlamaLogForwarder } from "./llama-log.ts";
import { COUNT_PROMPTS_ABOVE_BYTES, PromptCancelledError, tokensBeyondLimit } from "./prompt-bound.ts";
import { LogprobsUnavailableError, TokenLogprobRecorder } from "./token-logprobs.ts";
import {
  disposeLoaded,
  loadIntoMemory,
  loadModel,
  readyLlama,
  settlesWeights,
  type LoadedModel,
} from "./model-loading.ts";
import { SETTLE_AFTER_IDLE_MS, WeightsSettler } from "./weights-settle.ts";
import type {
  ChatOperation,
  CompleteOperation,
  EmbedOperation,
  LoadMessage,
  ToParent,
  ToWorker,
} from "../protocol.ts";
import type { TokenLogprob } from "../types.ts";

export class InferenceHost {
  private llama: Promise<Llama> | undefined;
  private loaded: LoadedModel | undefined;
  private readonly running = new Map<number, AbortController>();
  private readonly logLevel: LogLevel;
  private readonly llamaLog: LlamaLogForwarder;
  private readonly send: (message: ToParent) => void;
  private readonly settler: WeightsSettler;

  /** `logLevel`: the lowest level of llama.cpp's lines sent to the runner ("info" unless told). */
  constructor(send: (message: ToParent) => void, options: { logLevel?: LogLevel } = {}) {
    this.settler = new WeightsSettler({
      settle: (signal) => this.settleWeights(signal),
      onFailure: (error) =>
        this.send({
          type: "log",
          level: "warn",
          message: `the weights stay mapped from the file: reading them into memory failed: ${error instanceof Error ? error.message : String(error)}`,
        }),
    });
    this.logLevel = options.logLevel ?? "info";
    this.llamaLog = new LlamaLogForwarder((level, message) => send({ type: "log", level, message }), {
      level: this.logLevel,
    });
    // llama.cpp's lines wait a moment to be grouped; whatever else is sent must not overtake them.
    this.send = (message) => {
      if (message.type !== "log") this.llamaLog.flush();
      send(message);
    };
  }

  async handle(message: ToWorker): Promise<void> {
    // A request stops the weights' move into memory; it may start again once the model is idle.
    const request = message.type === "chat" || message.type === "complete" || message.type === "embed";
    if (request) this.settler.busy();
    try {
      switch (message.type) {
        case "load":
          return await this.load(message);
        case "chat":
          return await this.generate(message, (sequence, options) =>
            runChat(this.requireLoaded(), message, sequence, options),
          );
        case "complete":
          return await this.generate(message, (sequence, options) =>
            runCompletion(message, sequence, options),
          );
        case "embed":
          return await this.embed(message);
        case "cancel":
          this.running.get(message.id)?.abort();
          return;
        default:
          return message satisfies never;
      }
    } catch (error) {
      if (message.type === "cancel") return;
      let text = error instanceof Error ? error.message : String(error);
      // A prompt (with its tool documentation) longer than a sequence's context is the request's fault.
      const tooLong = message.type !== "load" && /context (size|shift)/i.test(text);
      if (tooLong)
        text = `the prompt does not fit the context of ${this.loaded?.context.contextSize} tokens per request: ${text}`;
      // A grammar node-llama-cpp cannot build or follow comes from the request's schema (a tool's
      // parameters, a response format): the request's fault, not the worker's.
      const grammar = message.type !== "load" && /grammar|json schema|gbnf/i.test(text);
      const code =
        error instanceof ChatHistoryError || tooLong || grammar
          ? "invalid_request"
          : message.type === "load"
            ? "load_failed"
            : "internal";
      this.send({ type: "error", id: message.id, code, message: text });
    } finally {
      if (request) this.settler.done();
    }
  }

  /**
   * Readies node-llama-cpp (loads the backend binary; "auto" detects the GPU) before any model is asked
   * for, so a load starts from a ready backend. Sends "ready" with the backend and llama.cpp's count of
   * physical performance cores.
   */
  prepare(gpu: GpuSetting): Promise<Llama> {
    this.llama ??= readyLlama(gpu, this.logLevel, this.llamaLog).then((llama) => {
      this.send({
        type: "ready",
        backend: llama.gpu || "cpu",
        detected: gpu === "auto",
        cpuMathCores: llama.cpuMathCores,
      });
      return llama;
    });
    return this.llama;
  }

  private async load(message: LoadMessage): Promise<void> {
    if (this.loaded) throw new Error("a model is already loaded in this worker");
    const llama = await this.prepare("auto");
    this.loaded = await loadModel(llama, message, {
      onProgress: (progress) => this.send({ type: "progress", id: message.id, progress }),
      generating: () => this.running.size,
      debug: (text) => {
        if (this.logLevel === "debug") this.send({ type: "log", level: "debug", message: text });
      },
    });
    const { model, context, threads } = this.loaded;
    if (settlesWeights(this.loaded)) this.settler.start(message.settleAfterIdleMs ?? SETTLE_AFTER_IDLE_MS);
    this.send({
      type: "loaded",
      id: message.id,
      backend: llama.gpu || "cpu",
      threads,
      contextSize: context.contextSize,
      trainContextSize: model.trainContextSize,
      embeddingLength: model.embeddingVectorSize,
      weights: this.loaded.weights,
      ...(this.loaded.chatWrapperChoice ? { chatWrapper: this.loaded.chatWrapperChoice } : {}),
    });
  }

  /**
   * Reads the weights into memory and switches to them (weights-settle.ts decides when: only while no
   * request runs, and any request stops it). False when the memory to hold a copy is not there.
   */
  private async settleWeights(signal: AbortSignal): Promise<boolean> {
    const mapped = this.requireLoaded();
    const weightBytes = mapped.model.size;
    // Until the switch both copies are held (the mapped one only as reclaimable file cache). In a
    // container the limit counts (availableMemory); outside one it is the machine's available memory.
    const available = process.availableMemory?.() ?? os.freemem();
    if (available < weightBytes * 1.25 + 256 * 1024 * 1024) {
      this.send({
        type: "log",
        level: "info",
        message: `the weights stay mapped from the file: ${Math.round(available / 2 ** 20)} MiB available is too little to read ${Math.round(weightBytes / 2 ** 20)} MiB into memory`,
      });
      return true;
    }
    const started = performance.now();
    this.llamaLog.quiet = true;
    const copy = await loadIntoMemory(mapped, () => this.running.size, signal).finally(() => {
      this.llamaLog.flush();
      this.llamaLog.quiet = false;
    });
    if (signal.aborted || this.running.size > 0 || this.loaded !== mapped) {
      await disposeLoaded(copy);
      return false;
    }
    this.loaded = copy;
    this.send({ type: "weights", placement: "memory", ms: performance.now() - started });
    await disposeLoaded(mapped);
    return true;
  }

  private requireLoaded(): LoadedModel {
    if (!this.loaded) throw new Error("no model is loaded in this worker");
    return this.loaded;
  }

  /** Runs one generation on its own sequence and always frees the sequence before reporting "done". */
  private async generate(
    message: ChatOperation | CompleteOperation,
    run: (sequence: LlamaContextSequence, options: RunOptions) => Promise<RunResult>,
  ): Promise<void> {
    const { context, maxTokenBytes } = this.requireLoaded();
    // Tokenizing a long single word takes time that grows with the square of its length, in one native
    // call that nothing can interrupt: a prompt that cannot fit is refused before it is tokenized.
    const texts = message.type === "chat" ? message.messages.map((m) => m.content) : [message.prompt];
    const promptBytes = texts.reduce((n, text) => n + Buffer.byteLength(text), 0);
    if (promptBytes > context.contextSize * maxTokenBytes)
      throw new ChatHistoryError(
        `the prompt is ${promptBytes} bytes: it cannot fit the context of ${context.contextSize} tokens ` +
          `per request (no token of this model is longer than ${maxTokenBytes} bytes)`,
      );
    const controller = new AbortController();
    // Stops generation at the end of the context instead of shifting it and running on forever.
    const contextFull = new AbortController();
    const signal = AbortSignal.any([controller.signal, contextFull.signal]);
    this.running.set(message.id, controller);
    if (
      promptBytes > COUNT_PROMPTS_ABOVE_BYTES &&
      !(await this.promptFits(message.id, texts, controller.signal))
    )
      return;
    const sequence = context.getSequence();
    let recorder: TokenLogprobRecorder | undefined;
    try {
      if (message.logprobs !== undefined)
        recorder = new TokenLogprobRecorder(this.requireLoaded().model, sequence, message.logprobs);
    } catch (error) {
      this.running.delete(message.id);
      await sequence.dispose();
      throw error instanceof LogprobsUnavailableError ? new ChatHistoryError(error.message) : error;
    }
    // Log probabilities of output tokens whose text has not been sent yet.
    let pendingLogprobs: TokenLogprob[] = [];
    const started = performance.now();
    let firstTokenAt: number | undefined;
    let completionTokens = 0;
    let promptTokens: number | undefined;
    let sent = "";
    const sendText = (text: string) => {
      if (text.length === 0 && pendingLogprobs.length === 0) return;
      if (text.length > 0) firstTokenAt ??= performance.now();
      sent += text;
      const logprobs = pendingLogprobs;
      pendingLogprobs = [];
      this.send({
        type: "event",
        id: message.id,
        event: { type: "delta", text, ...(logprobs.length ? { logprobs } : {}) },
      });
    };
    try {
      const result = await run(sequence, {
        signal,
        onText: sendText,
        onThought: (text) => {
          firstTokenAt ??= performance.now();
          this.send({ type: "event", id: message.id, event: { type: "thinking", text } });
        },
        onTokens: (tokens) => {
          firstTokenAt ??= performance.now();
          // The prompt is fully evaluated once the first token exists; later input is generated tokens fed back.
          promptTokens ??= sequence.tokenMeter.usedInputTokens;
          completionTokens += tokens.length;
          // node-llama-cpp passes the tokens, then their text: the text's delta carries them.
          if (recorder) pendingLogprobs.push(...recorder.take(tokens));
        },
        onSegmentTokens: (tokens) => recorder?.skip(tokens),
        onContextFull: () => {
          if (firstTokenAt === undefined) return false;
          contextFull.abort();
          return true;
        },
      }).catch((error: unknown): RunResult => {
        // node-llama-cpp throws when aborted before the first token; that is a cancellation too.
        if (signal.aborted) return { stopReason: "abort" as const, toolCalls: [] };
        throw error;
      });
      const ended = performance.now();
      // Text held back (a possible stop trigger or function call) when generation stopped is still output.
      if (result.text !== undefined && result.text.length > sent.length && result.text.startsWith(sent))
        sendText(result.text.slice(sent.length));
      // Tokens whose text was empty (a piece of a character, say) still have their log probabilities.
      sendText("");
      // LlamaChat holds back tokens that might start a stop trigger or a call, and a call's own tokens
      // reach no onToken callback: the sequence's meter counted every generated token.
      completionTokens = Math.max(completionTokens, sequence.tokenMeter.usedOutputTokens);
      if (result.toolCalls?.length)
        this.send({ type: "event", id: message.id, event: { type: "tool_calls", calls: result.toolCalls } });
      const decodeSeconds = firstTokenAt === undefined ? 0 : (ended - firstTokenAt) / 1000;
      await sequence.dispose();
      this.send({
        type: "event",
        id: message.id,
        event: {
          type: "done",
          finishReason: controller.signal.aborted
            ? "cancelled"
            : contextFull.signal.aborted
              ? "length"
              : finishReasonOf(result.stopReason),
          usage: { promptTokens: promptTokens ?? sequence.tokenMeter.usedInputTokens, completionTokens },
          timeToFirstTokenMs: firstTokenAt === undefined ? 0 : firstTokenAt - started,
          tokensPerSecond:
            completionTokens > 1 && decodeSeconds > 0 ? (completionTokens - 1) / decodeSeconds : 0,
        },
      });
    } finally {
      this.running.delete(message.id);
      recorder?.dispose();
      await sequence.dispose();
    }
  }

  /**
   * Counts a long prompt's tokens slice by slice (prompt-bound.ts). Refuses one that cannot fit the
   * context; a cancel meanwhile ends the request as cancelled (false: nothing more to do).
   */
  private async promptFits(id: number, texts: readonly string[], signal: AbortSignal): Promise<boolean> {
    const { model, context } = this.requireLoaded();
    try {
      const counted = await tokensBeyondLimit(
        (text) => model.tokenize(text).length,
        texts,
        context.contextSize,
        signal,
      );
      if (counted !== undefined)
        throw new ChatHistoryError(
          `the prompt has more than ${context.contextSize} tokens: it cannot fit the context of ${context.contextSize} tokens per request`,
        );
      return true;
    } catch (error) {
      this.running.delete(id);
      if (!(error instanceof PromptCancelledError)) throw error;
      this.send({
        type: "event",
        id,
        event: {
          type: "done",
          finishReason: "cancelled",
          usage: { promptTokens: 0, completionTokens: 0 },
          timeToFirstTokenMs: 0,
          tokensPerSecond: 0,
        },
      });
      return false;
    }
  }

  private async embed(message: EmbedOperation): Promise<void> {
    const loaded = this.requireLoaded();
    loaded.embedding ??= loaded.model.createEmbeddingContext({
      contextSize: Math.min(loaded.context.contextSize, loaded.model.trainContextSize),
      threads: loaded.threads,
    });
    const context = await loaded.embedding;
    const embeddings: number[][] = [];
    let promptTokens = 0;
    for (const input of message.input) {
      promptTokens += loaded.model.tokenize(input).length;
      const embedding = await context.getEmbeddingFor(input);
      embeddings.push([...embedding.vector]);
    }
    this.send({
      type: "embeddings",
      id: message.id,
      embeddings,
      usage: { promptTokens, completionTokens: 0 },
    });
  }
}
