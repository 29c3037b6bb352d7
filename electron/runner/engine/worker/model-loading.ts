/**
 * Readying node-llama-cpp and loading one model into it, inside the inference worker: the backend
 * (detected once), the weights with load progress, one context with a sequence per request in flight,
 * and the chat wrapper resolved once so no request pays for it.
 */
import {
  getLlama,
  type ChatWrapper,
  type Llama,
  type LlamaContext,
  type LlamaEmbeddingContext,
  type LlamaModel,
} from "node-llama-cpp";
import os from "node:os";
import type { LogLevel } from "../../logs/types.ts";
import type { GpuSetting } from "../engine-settings.ts";
import type { LoadMessage } from "../protocol.ts";
import { workerThreads } from "../threads.ts";
import { installDecodeBarrier } from "./batch-dispatch.ts";
import { forcingFunctionCall } from "./forced-tool-call.ts";
import { llamaLogLevelFor, type LlamaLogForwarder } from "./llama-log.ts";
import { resolveModelChatWrapper, wrapperThinks } from "./thinking.ts";
import { describeChatWrapper, rebuildChatWrapper, type ChatWrapperChoice } from "./chat-wrapper-choice.ts";

export interface LoadedModel {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  chatWrapper: ChatWrapper;
  /** How the next load of the same file builds the wrapper without resolving it; undefined: it cannot. */
  chatWrapperChoice: ChatWrapperChoice | undefined;
  /** The same wrapper, made to open the response with a function call (tool_choice "required" or named). */
  forcedCallWrapper: ChatWrapper;
  /** The wrapper separates the model's thoughts from its reply (a thinking model). */
  thinks: boolean;
  threads: number;
  /** "mapped": read from the mapped file; "memory": the process's own copy. */
  weights: "mapped" | "memory";
  /** What the load was asked for (a copy of the weights is readied the same way). */
  request: LoadMessage;
  /** The longest token of the vocabulary in UTF-8 bytes: a prompt of B bytes needs at least B / this tokens. */
  maxTokenBytes: number;
  embedding?: Promise<LlamaEmbeddingContext>;
}

/**
 * node-llama-cpp with its backend binary loaded ("auto" detects the GPU). No thread cap here: each
 * context gets its own count. It never compiles llama.cpp at run time: a prebuilt binary or a clear error.
 */
export function readyLlama(gpu: GpuSetting, logLevel: LogLevel, log: LlamaLogForwarder): Promise<Llama> {
  return getLlama({
    gpu,
    maxThreads: 0,
    build: "never",
    progressLogs: false,
    logLevel: llamaLogLevelFor(logLevel),
    logger: (level, text) => log.write(level, text),
  });
}

export interface LoadHooks {
  /** Whole percents of the weights read, each once, in order. */
  onProgress: (fraction: number) => void;
  /** How many sequences are generating now (the batch schedule waits for all of them). */
  generating: () => number;
  /** A line for the runner's log (debug level). */
  debug?: (message: string) => void;
}

/**
 * How a load message places the weights: mapped from the file unless useMmap is false. "auto" maps
 * them first (weights-settle.ts moves them into memory later); GPU backends keep node-llama-cpp's choice.
 */
function mapsWeights(llama: Llama, useMmap: LoadMessage["useMmap"]): boolean | undefined {
  if (useMmap === "auto") return llama.gpu === false ? true : undefined;
  return useMmap;
}

/** Loads the model of `message` into `llama` and readies its context. */
export async function loadModel(llama: Llama, message: LoadMessage, hooks: LoadHooks): Promise<LoadedModel> {
  let sent = -1;
  const useMmap = mapsWeights(llama, message.useMmap);
  const model = await llama.loadModel({
    modelPath: message.modelPath,
    ...(useMmap === undefined ? {} : { useMmap }),
    ...(llama.gpu === false ? { gpuLayers: 0 } : {}),
    onLoadProgress: (progress) => {
      // Whole percents only: llama.cpp reports every tensor.
      const percent = Math.floor(Math.min(1, Math.max(0, progress)) * 100);
      if (percent <= sent) return;
      sent = percent;
      hooks.onProgress(percent / 100);
    },
  });
  const threads = workerThreads(message.threads, {
    cpuMathCores: llama.cpuMathCores,
    logicalCores: os.availableParallelism(),
  });
  const context = await readyContext(model, message, threads, hooks.generating);
  // Resolving the "auto" wrapper renders the model's Jinja template several times (hundreds of ms):
  // done once per file (a later load gets the choice back), never before a request's first token.
  const started = performance.now();
  const rebuilt = message.chatWrapper && rebuildChatWrapper(message.chatWrapper, model);
  const chatWrapper = rebuilt ?? resolveModelChatWrapper(model);
  hooks.debug?.(
    `chat wrapper ${chatWrapper.wrapperName}: ${rebuilt ? "built as the last load of this file chose" : "resolved from the model's template"} in ${Math.round(performance.now() - started)} ms`,
  );
  return {
    llama,
    model,
    context,
    chatWrapper,
    chatWrapperChoice: rebuilt ? message.chatWrapper : describeChatWrapper(chatWrapper, model),
    forcedCallWrapper: forcingFunctionCall(chatWrapper),
    thinks: wrapperThinks(chatWrapper),
    threads,
    weights: model.useMmap ? "mapped" : "memory",
    request: message,
    maxTokenBytes: longestTokenBytes(model),
  };
}

async function readyContext(
  model: LlamaModel,
  message: LoadMessage,
  threads: number,
  generating: () => number,
): Promise<LlamaContext> {
  const context = await model.createContext({
    contextSize: Math.min(message.contextSize, model.trainContextSize),
    sequences: message.sequences,
    threads,
  });
  // Parallel requests decode together: each batch waits until every generating sequence has a token.
  installDecodeBarrier(context, generating);
  return context;
}

/** Whether moving the mapped weights of `loaded` into memory is asked for and can help. */
export function settlesWeights(loaded: LoadedModel): boolean {
  return loaded.request.useMmap === "auto" && loaded.weights === "mapped" && loaded.llama.gpu === false;
}

/**
 * A copy of `loaded` whose weights are read into the process's memory, with a context like the first
 * one; the chat wrapper is the same file's and is kept. Stops when `signal` aborts (what it made is
 * disposed, and it rejects).
 */
export async function loadIntoMemory(
  loaded: LoadedModel,
  generating: () => number,
  signal: AbortSignal,
): Promise<LoadedModel> {
  const model = await loaded.llama.loadModel({
    modelPath: loaded.request.modelPath,
    useMmap: false,
    gpuLayers: 0,
    loadSignal: signal,
  });
  try {
    signal.throwIfAborted();
    const context = await readyContext(model, loaded.request, loaded.threads, generating);
    if (signal.aborted) await context.dispose();
    signal.throwIfAborted();
    return { ...loaded, model, context, weights: "memory", embedding: undefined };
  } catch (error) {
    await model.dispose();
    throw error;
  }
}

/** Frees a model and its contexts. */
export async function disposeLoaded(loaded: LoadedModel): Promise<void> {
  await loaded.embedding?.then((embedding) => embedding.dispose()).catch(() => undefined);
  await loaded.context.dispose();
  await loaded.model.dispose();
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
