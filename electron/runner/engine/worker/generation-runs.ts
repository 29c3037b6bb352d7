/**
 * One chat or completion run on a context sequence, inside the inference worker: node-llama-cpp's
 * LlamaChat or LlamaCompletion with the request's sampling, grammar or functions, ended at the end of
 * the context instead of shifting it. The caller owns the sequence and reports the figures.
 */
import {
  LlamaChat,
  LlamaCompletion,
  type LlamaContextSequence,
  type LlamaGrammar,
  type LLamaContextualRepeatPenalty,
  type Token,
} from "node-llama-cpp";
import { ChatHistoryError, requiresToolCall, toChatHistory, toFunctions } from "./chat-history.ts";
import type { LoadedModel } from "./model-loading.ts";
import { withThinkingOff } from "./thinking.ts";
import type { ChatOperation, CompleteOperation, SamplingMessage } from "../protocol.ts";
import { THINKING_UNSUPPORTED, type GenerationEvent, type ToolCall } from "../types.ts";

export type Finish = Extract<GenerationEvent, { type: "done" }>["finishReason"];
type StopReason =
  "eogToken" | "stopGenerationTrigger" | "functionCalls" | "maxTokens" | "abort" | "customStopTrigger";

/**
 * `toolsOffered`: functions were offered, so not every generated token reached onToken.
 * `text`: the whole response, including text held back from onText when generation stopped.
 */
export type RunResult = {
  stopReason: StopReason;
  toolCalls?: ToolCall[];
  toolsOffered?: boolean;
  text?: string;
};

export interface RunOptions {
  signal: AbortSignal;
  onText: (text: string) => void;
  /** Text of the model's thought segment (never part of `onText`'s reply). */
  onThought: (text: string) => void;
  /** Output tokens, in order (none: a forced call's first arguments mark the first token). */
  onTokens: (tokens: readonly Token[]) => void;
  /** Generated tokens that are not part of the reply: a segment such as a model's thoughts. */
  onSegmentTokens?: (tokens: readonly Token[]) => void;
  /** The response has filled the context: true when that ends the generation (it has started). */
  onContextFull: () => boolean;
}

export async function runChat(
  loaded: LoadedModel,
  message: ChatOperation,
  sequence: LlamaContextSequence,
  options: RunOptions,
): Promise<RunResult> {
  if (message.think === "required" && !loaded.thinks) throw new ChatHistoryError(THINKING_UNSUPPORTED);
  const thinkingOff = message.think === false && loaded.thinks;
  const history = thinkingOff
    ? withThinkingOff(toChatHistory(message.messages))
    : toChatHistory(message.messages);
  // A forced call leaves no content for a response_format to shape: the tools win over the grammar.
  const forced = requiresToolCall(message.tools, message.toolChoice);
  const grammar = forced ? undefined : await grammarFor(loaded, message.responseFormat);
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
      // Thoughts are reported apart; with thinking off, a thought the model opens all the same is
      // closed at once (its budget is 0) and dropped. Their tokens are not the reply's.
      onResponseChunk: (chunk) => {
        if (chunk.type !== "segment") return;
        options.onSegmentTokens?.(chunk.tokens);
        if (chunk.segmentType === "thought" && chunk.text && !thinkingOff) options.onThought(chunk.text);
      },
      ...(thinkingOff ? { budgets: { thoughtTokens: 0 } } : {}),
      onToken: options.onTokens,
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
              onFunctionCallParamsChunk: () => options.onTokens([]),
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

export async function runCompletion(
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
      onToken: options.onTokens,
      // Ends at the end of the context ("maxTokens", reported as "length") instead of shifting it.
      disableContextShift: true,
    });
    return { stopReason: result.metadata.stopReason, text: result.response };
  } finally {
    completion.dispose({ disposeSequence: false });
  }
}

async function grammarFor(
  { llama }: LoadedModel,
  format: ChatOperation["responseFormat"],
): Promise<LlamaGrammar | undefined> {
  if (!format) return undefined;
  if (format.type === "json_object") return llama.getGrammarFor("json");
  if (!format.schema) throw new ChatHistoryError("response_format json_schema needs a schema");
  try {
    return await llama.createGrammarForJsonSchema(format.schema as never);
  } catch (error) {
    throw new ChatHistoryError(`unsupported JSON schema: ${error instanceof Error ? error.message : error}`);
  }
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

export function finishReasonOf(reason: StopReason): Finish {
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
