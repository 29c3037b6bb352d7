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

export interface LoadedModel {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  chatWrapper: ChatWrapper;
  /** The same wrapper, made to open the response with a function call (tool_choice "required" or named). */
  forcedCallWrapper: ChatWrapper;
  /** The wrapper separates the model's thoughts from its reply (a thinking model). */
  thinks: boolean;
  threads: number;
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
}

/** Loads the model of `message` into `llama` and readies its context. */
export async function loadModel(llama: Llama, message: LoadMessage, hooks: LoadHooks): Promise<LoadedModel> {
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
      hooks.onProgress(percent / 100);
    },
  });
  const threads = workerThreads(message.threads, {
    cpuMathCores: llama.cpuMathCores,
    logicalCores: os.availableParallelism(),
  });
  const context = await model.createContext({
    contextSize: Math.min(message.contextSize, model.trainContextSize),
    sequences: message.sequences,
    threads,
  });
  // Parallel requests decode together: each batch waits until every generating sequence has a token.
  installDecodeBarrier(context, hooks.generating);
  // Resolving the "auto" wrapper renders the model's Jinja template several times (hundreds of ms):
  // done once at load, not before every request's first token.
  const chatWrapper = resolveModelChatWrapper(model);
  return {
    llama,
    model,
    context,
    chatWrapper,
    forcedCallWrapper: forcingFunctionCall(chatWrapper),
    thinks: wrapperThinks(chatWrapper),
    threads,
    maxTokenBytes: longestTokenBytes(model),
  };
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
