/**
 * What runs inside an inference worker process: node-llama-cpp with one model, one context with N
 * sequences (one per request in flight), and an embedding context made on first use. It answers
 * operations with messages through `send`; the process wiring is in entry.ts.
 */
import {
  getLlama,
  LlamaChat,
  type ChatWrapper,
  LlamaCompletion,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaEmbeddingContext,
  type LlamaGrammar,
  type LlamaModel,
  type LLamaContextualRepeatPenalty,
} from "node-llama-cpp";
import os from "node:os";
import type { LogLevel } from "../../logs/types.ts";
import type { GpuSetting } from "../engine-settings.ts";
import { workerThreads } from "../threads.ts";
import { ChatHistoryError, requiresToolCall, toChatHistory, toFunctions } from "./chat-history.ts";
import { batchDispatch } from "./batch-dispatch.ts";
import { forcingFunctionCall } from "./forced-tool-call.ts";
import { LlamaLogForwarder, llamaLogLevelFor } from "./llama-log.ts";
import type {
  ChatOperation,
  CompleteOperation,
  EmbedOperation,
  LoadMessage,
  SamplingMessage,
  ToParent,
  ToWorker,
} from "../protocol.ts";
import type { GenerationEvent, ToolCall } from "../types.ts";

type Finish = Extract<GenerationEvent, { type: "done" }>["finishReason"];
type StopReason =
  "eogToken" | "stopGenerationTrigger" | "functionCalls" | "maxTokens" | "abort" | "customStopTrigger";
/** `toolsOffered`: functions were offered, so not every generated token reached onToken. */
/** `text`: the whole response, including text held back from onText when generation stopped. */
type RunResult = { stopReason: StopReason; toolCalls?: ToolCall[]; toolsOffered?: boolean; text?: string };

interface RunOptions {
  signal: AbortSignal;
  onText: (text: string) => void;
  onTokens: (count: number) => void;
  /** The response has filled the context: true when that ends the generation (it has started). */
  onContextFull: () => boolean;
}

interface Loaded {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  chatWrapper: ChatWrapper;
  /** The same wrapper, made to open the response with a function call (tool_choice "required" or named). */
  forcedCallWrapper: ChatWrapper;
  threads: number;
  /** The longest token of the vocabulary in UTF-8 bytes: a prompt of B bytes needs at least B / this tokens. */
  maxTokenBytes: number;
  embedding?: Promise<LlamaEmbeddingContext>;
}

export class InferenceHost {
  private llama: Promise<Llama> | undefined;
  private loaded: Loaded | undefined;
  private readonly running = new Map<number, AbortController>();
  private readonly logLevel: LogLevel;
  private readonly llamaLog: LlamaLogForwarder;
  private readonly send: (message: ToParent) => void;

  /** `logLevel`: the lowest level of llama.cpp's lines sent to the runner ("info" unless told). */
  constructor(send: (message: ToParent) => void, options: { logLevel?: LogLevel } = {}) {
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
    try {
      switch (message.type) {
        case "load":
          return await this.load(message);
        case "chat":
          return await this.generate(message, (sequence, options) =>
            this.runChat(message, sequence, options),
          );
        case "complete":
          return await this.generate(message, (sequence, options) =>
            this.runCompletion(message, sequence, options),
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
    }
  }

  /**
   * Readies node-llama-cpp (loads the backend binary; "auto" detects the GPU) before any model is asked
   * for, so a load starts from a ready backend. Sends "ready" with the backend and llama.cpp's count of
   * physical performance cores.
   */
  prepare(gpu: GpuSetting): Promise<Llama> {
    this.llama ??= getLlama({
      gpu,
      // No cap here: each context gets its thread count (a setting, or llama.cpp's core count).
      maxThreads: 0,
      // Never compile llama.cpp at run time: use a prebuilt binary or fail clearly.
      build: "never",
      progressLogs: false,
      logLevel: llamaLogLevelFor(this.logLevel),
      logger: (level, text) => this.llamaLog.write(level, text),
    }).then((llama) => {
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
    let sent = -1;
    const model = await llama.loadModel({
      modelPath: message.modelPath,
      ...(message.useMmap === undefined ? {} : { useMmap: message.useMmap }),
      ...(llama.gpu === false ? { gpuLayers: 0 } : {}),
      onLoadProgress: (progress) => {
        // Whole percents only: llama.cpp reports every tensor.
        const percent = Math.floor(Math.min(1, Math.max(0, progress)) * 100);
        if (percent <= sent) return;
        sent = percent;
        this.send({ type: "progress", id: message.id, progress: percent / 100 });
      },
    });
    const contextSize = Math.min(message.contextSize, model.trainContextSize);
    const threads = workerThreads(message.threads, {
      cpuMathCores: llama.cpuMathCores,
      logicalCores: os.availableParallelism(),
    });
    const context = await model.createContext({
      contextSize,
      sequences: message.sequences,
      threads,
      // Parallel requests decode together: a batch waits until every generating sequence has queued.
      batching: {
        dispatchSchedule: batchDispatch(
          () => this.running.size,
          () => this.loaded?.context,
        ),
      },
    });
    // Resolving the "auto" chat wrapper renders the model's Jinja template several times (hundreds of
    // ms): do it once here, not before every request's first token.
    const probe = context.getSequence();
    const probeChat = new LlamaChat({ contextSequence: probe });
    const chatWrapper = probeChat.chatWrapper;
    probeChat.dispose({ disposeSequence: false });
    await probe.dispose();
    this.loaded = {
      llama,
      model,
      context,
      chatWrapper,
      forcedCallWrapper: forcingFunctionCall(chatWrapper),
      threads,
      maxTokenBytes: longestTokenBytes(model),
    };
    this.send({
      type: "loaded",
      id: message.id,
      backend: llama.gpu || "cpu",
      threads,
      contextSize: context.contextSize,
      trainContextSize: model.trainContextSize,
      embeddingLength: model.embeddingVectorSize,
    });
  }

  private requireLoaded(): Loaded {
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
    const promptBytes =
      message.type === "chat"
        ? message.messages.reduce((n, m) => n + Buffer.byteLength(m.content), 0)
        : Buffer.byteLength(message.prompt);
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
    const sequence = context.getSequence();
    const started = performance.now();
    let firstTokenAt: number | undefined;
    let completionTokens = 0;
    let promptTokens: number | undefined;
    let sent = "";
    const sendText = (text: string) => {
      if (text.length === 0) return;
      firstTokenAt ??= performance.now();
      sent += text;
      this.send({ type: "event", id: message.id, event: { type: "delta", text } });
    };
    try {
      const result = await run(sequence, {
        signal,
        onText: sendText,
        onTokens: (count) => {
          firstTokenAt ??= performance.now();
          // The prompt is fully evaluated once the first token exists; later input is generated tokens fed back.
          promptTokens ??= sequence.tokenMeter.usedInputTokens;
          completionTokens += count;
        },
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
      await sequence.dispose();
    }
  }

  private async runChat(
    message: ChatOperation,
    sequence: LlamaContextSequence,
    options: RunOptions,
  ): Promise<RunResult> {
    const history = toChatHistory(message.messages);
    const loaded = this.requireLoaded();
    // A forced call leaves no content for a response_format to shape: the tools win over the grammar.
    const forced = requiresToolCall(message.tools, message.toolChoice);
    const grammar = forced ? undefined : await this.grammarFor(message.responseFormat);
    const functions = grammar ? undefined : toFunctions(message.tools, message.toolChoice);
    const chat = new LlamaChat({
      contextSequence: sequence,
      chatWrapper: forced ? loaded.forcedCallWrapper : loaded.chatWrapper,
    });
    try {
      const result = await chat.generateResponse(history, {
        ...samplingOptions(message.sampling),
        signal: options.signal,
        stopOnAbortSignal: true,
        onTextChunk: options.onText,
        onToken: (tokens) => options.onTokens(tokens.length),
        // Where node-llama-cpp would shift the context and go on forever, the response ends ("length").
        // Before the first token the history is too long to start: the default strategy handles that.
        contextShift: {
          strategy: ({ chatHistory }) => ({ chatHistory: options.onContextFull() ? [] : [...chatHistory] }),
        },
        ...(grammar
          ? { grammar }
          : functions
            ? {
                functions,
                documentFunctionParams: true,
                // A forced call starts without text: its first arguments mark the first token.
                onFunctionCallParamsChunk: () => options.onTokens(0),
              }
            : {}),
      });
      const toolCalls = (result.functionCalls ?? []).map((call, index) => ({
        id: `call_${message.id}_${index}_${Math.random().toString(36).slice(2, 10)}`,
        name: call.functionName,
        arguments: JSON.stringify(call.params ?? {}),
      }));
      return {
        stopReason: result.metadata.stopReason,
        toolCalls,
        toolsOffered: functions !== undefined,
        text: result.response,
      };
    } finally {
      chat.dispose({ disposeSequence: false });
    }
  }

  private async runCompletion(
    message: CompleteOperation,
    sequence: LlamaContextSequence,
    options: RunOptions,
  ): Promise<RunResult> {
    const completion = new LlamaCompletion({ contextSequence: sequence });
    try {
      const result = await completion.generateCompletionWithMeta(message.prompt, {
        ...samplingOptions(message.sampling),
        signal: options.signal,
        stopOnAbortSignal: true,
        onTextChunk: options.onText,
        onToken: (tokens) => options.onTokens(tokens.length),
        // Ends at the end of the context ("maxTokens", reported as "length") instead of shifting it.
        disableContextShift: true,
      });
      return { stopReason: result.metadata.stopReason, text: result.response };
    } finally {
      completion.dispose({ disposeSequence: false });
    }
  }

  private async grammarFor(format: ChatOperation["responseFormat"]): Promise<LlamaGrammar | undefined> {
    if (!format) return undefined;
    const { llama } = this.requireLoaded();
    if (format.type === "json_object") return llama.getGrammarFor("json");
    if (!format.schema) throw new ChatHistoryError("response_format json_schema needs a schema");
    try {
      return await llama.createGrammarForJsonSchema(format.schema as never);
    } catch (error) {
      throw new ChatHistoryError(
        `unsupported JSON schema: ${error instanceof Error ? error.message : error}`,
      );
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

/** Bytes of the vocabulary's longest token as stored (byte-level and "▁" spellings only overstate it). */
function longestTokenBytes(model: LlamaModel): number {
  const tokens = (model.fileInfo.metadata as { tokenizer?: { ggml?: { tokens?: readonly string[] } } })
    .tokenizer?.ggml?.tokens;
  // No vocabulary in the metadata: a bound no real token reaches.
  if (!tokens?.length) return 1024;
  let longest = 1;
  for (const token of tokens) longest = Math.max(longest, Buffer.byteLength(token));
  return longest;
}

function samplingOptions(s: SamplingMessage) {
  const penalty: LLamaContextualRepeatPenalty = {
    ...(s.repeatPenalty !== undefined ? { penalty: s.repeatPenalty } : {}),
    ...(s.presencePenalty !== undefined ? { presencePenalty: s.presencePenalty } : {}),
    ...(s.frequencyPenalty !== undefined ? { frequencyPenalty: s.frequencyPenalty } : {}),
  };
  return {
    ...(s.temperature !== undefined ? { temperature: s.temperature } : {}),
    ...(s.topP !== undefined ? { topP: s.topP } : {}),
    ...(s.topK !== undefined ? { topK: s.topK } : {}),
    ...(s.maxTokens !== undefined ? { maxTokens: s.maxTokens } : {}),
    ...(s.seed !== undefined ? { seed: s.seed } : {}),
    ...(s.stop?.length ? { customStopTriggers: s.stop } : {}),
    ...(Object.keys(penalty).length > 0 ? { repeatPenalty: penalty } : {}),
  };
}

function finishReasonOf(reason: StopReason): Finish {
  switch (reason) {
    case "maxTokens":
      return "length";
    case "functionCalls":
      return "tool_calls";
    case "abort":
      return "cancelled";
    case "eogToken":
    case "stopGenerationTrigger":
    case "customStopTrigger":
      return "stop";
    default:
      return reason satisfies never;
  }
}
