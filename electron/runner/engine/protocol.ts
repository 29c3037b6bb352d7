/**
 * Messages between the runner and an inference worker process (one per loaded model). Both sides validate
 * what they receive: a worker is a separate process and a malformed message must be an error, not a crash.
 */
import { assertJsonWithin } from "../../contract/json-bounds.ts";
import { v, type Infer, type Validator } from "../../contract/validate.ts";
import { MAX_TOP_LOGPROBS, type GenerationEvent } from "./types.ts";

const toolCall = v.object({ id: v.string(), name: v.string(), arguments: v.string() });

const chatMessage = v.object({
  role: v.literal("system", "user", "assistant", "tool"),
  content: v.string(),
  toolCallId: v.optional(v.string()),
  toolCalls: v.optional(v.array(toolCall)),
});

const sampling = v.object({
  temperature: v.optional(v.number({ min: 0 })),
  topP: v.optional(v.number({ min: 0, max: 1 })),
  topK: v.optional(v.number({ min: 0, integer: true })),
  maxTokens: v.optional(v.number({ min: 1, integer: true })),
  stop: v.optional(v.array(v.string(), { max: 16 })),
  seed: v.optional(v.number({ integer: true })),
  presencePenalty: v.optional(v.number()),
  frequencyPenalty: v.optional(v.number()),
  repeatPenalty: v.optional(v.number()),
});

/** A chat wrapper as an earlier load of the same file resolved it (worker/chat-wrapper-choice.ts). */
const chatWrapperChoice = v.object({ type: v.string({ min: 1 }), settings: v.record(v.json()) });

const loadMessage = v.object({
  type: v.literal("load"),
  id: v.number({ integer: true }),
  modelPath: v.string({ min: 1 }),
  /** Absent: llama.cpp's physical performance-core count. */
  threads: v.optional(v.number({ min: 1, integer: true })),
  /** "auto": mapped at load, read into memory once the model is idle (worker/weights-settle.ts). */
  useMmap: v.optional(v.union(v.boolean(), v.literal("auto"))),
  /** With useMmap "auto": how long the model stays idle before the move (2 s when absent). */
  settleAfterIdleMs: v.optional(v.number({ min: 0, integer: true })),
  contextSize: v.number({ min: 1, integer: true }),
  sequences: v.number({ min: 1, integer: true }),
  /** Builds the chat wrapper without resolving it again; absent: resolved from the template. */
  chatWrapper: v.optional(chatWrapperChoice),
});

/** How many alternatives per token to report with each token's log probability; absent: none. */
const logprobs = v.optional(v.number({ min: 0, max: MAX_TOP_LOGPROBS, integer: true }));

const chatOperation = v.object({
  type: v.literal("chat"),
  id: v.number({ integer: true }),
  messages: v.array(chatMessage),
  sampling,
  logprobs,
  responseFormat: v.optional(
    v.object({ type: v.literal("json_object", "json_schema"), schema: v.optional(v.record(v.json())) }),
  ),
  tools: v.optional(
    v.array(
      v.object({
        name: v.string({ min: 1 }),
        description: v.optional(v.string()),
        parameters: v.optional(v.record(v.json())),
      }),
    ),
  ),
  toolChoice: v.optional(
    v.union(v.literal("auto", "none", "required"), v.object({ name: v.string({ min: 1 }) })),
  ),
  think: v.optional(v.union(v.boolean(), v.literal("required"))),
});

const completeOperation = v.object({
  type: v.literal("complete"),
  id: v.number({ integer: true }),
  prompt: v.string(),
  sampling,
  logprobs,
});

const embedOperation = v.object({
  type: v.literal("embed"),
  id: v.number({ integer: true }),
  input: v.array(v.string()),
});

const cancelMessage = v.object({ type: v.literal("cancel"), id: v.number({ integer: true }) });

export type LoadMessage = Infer<typeof loadMessage>;
export type ChatOperation = Infer<typeof chatOperation>;
export type CompleteOperation = Infer<typeof completeOperation>;
export type EmbedOperation = Infer<typeof embedOperation>;
export type CancelMessage = Infer<typeof cancelMessage>;
export type SamplingMessage = Infer<typeof sampling>;
export type ToWorker = LoadMessage | ChatOperation | CompleteOperation | EmbedOperation | CancelMessage;

/** A message to the worker, told apart by `type` so an error names the field that is wrong. */
const toWorker: Validator<ToWorker> = v.discriminated("type", {
  load: loadMessage,
  chat: chatOperation,
  complete: completeOperation,
  embed: embedOperation,
  cancel: cancelMessage,
});

/**
 * The runner checks every operation before posting it. V8's IPC (de)serializer recurses, and a value
 * nested about a thousand deep overflows the receiving process's stack before any validator sees it:
 * such a message must never be sent.
 */
export const IPC_MAX_DEPTH = 100;

export const parseToWorker: Validator<ToWorker> = (value, path) => {
  assertJsonWithin(value, { maxDepth: IPC_MAX_DEPTH }, "message to worker");
  return toWorker(value, path);
};

const usage = v.object({
  promptTokens: v.number({ min: 0 }),
  completionTokens: v.number({ min: 0 }),
});

const tokenProbability = { token: v.string(), logprob: v.number({ max: 0 }), bytes: v.array(v.number()) };
const tokenLogprob = v.object({ ...tokenProbability, top: v.array(v.object(tokenProbability)) });

const generationEvent: Validator<Exclude<GenerationEvent, { type: "loading" }>> = v.discriminated("type", {
  delta: v.object({
    type: v.literal("delta"),
    text: v.string(),
    logprobs: v.optional(v.array(tokenLogprob)),
  }),
  thinking: v.object({ type: v.literal("thinking"), text: v.string() }),
  tool_calls: v.object({ type: v.literal("tool_calls"), calls: v.array(toolCall) }),
  done: v.object({
    type: v.literal("done"),
    finishReason: v.literal("stop", "length", "tool_calls", "cancelled"),
    usage,
    timeToFirstTokenMs: v.number({ min: 0 }),
    tokensPerSecond: v.number({ min: 0 }),
  }),
});

/** The worker has node-llama-cpp ready (backend chosen) and waits for a model. */
const readyMessage = v.object({
  type: v.literal("ready"),
  backend: v.string(),
  /** True when the backend came from detection ("auto"), not from the runner. */
  detected: v.boolean(),
  cpuMathCores: v.number({ min: 0, integer: true }),
});

/** How far the load of request `id` is, from 0 to 1. */
const progressMessage = v.object({
  type: v.literal("progress"),
  id: v.number({ integer: true }),
  progress: v.number({ min: 0, max: 1 }),
});

const loadedMessage = v.object({
  type: v.literal("loaded"),
  id: v.number({ integer: true }),
  backend: v.string(),
  threads: v.number({ min: 1, integer: true }),
  contextSize: v.number({ min: 0 }),
  trainContextSize: v.number({ min: 0 }),
  embeddingLength: v.number({ min: 0 }),
  /** Where the weights are read from: the mapped file, or the worker's own memory. */
  weights: v.literal("mapped", "memory"),
  /** How the chat wrapper can be built next time; absent when it cannot be recorded. */
  chatWrapper: v.optional(chatWrapperChoice),
});

const eventMessage = v.object({
  type: v.literal("event"),
  id: v.number({ integer: true }),
  event: generationEvent,
});

const embeddingsMessage = v.object({
  type: v.literal("embeddings"),
  id: v.number({ integer: true }),
  embeddings: v.array(v.array(v.number())),
  usage,
});

const errorMessage = v.object({
  type: v.literal("error"),
  id: v.number({ integer: true }),
  code: v.literal("invalid_request", "load_failed", "cancelled", "internal"),
  message: v.string(),
});

/** The weights now run from the worker's own memory (useMmap "auto"), read in `ms`. */
const weightsMessage = v.object({
  type: v.literal("weights"),
  placement: v.literal("memory"),
  ms: v.number({ min: 0 }),
});

const logMessage = v.object({
  type: v.literal("log"),
  level: v.literal("debug", "info", "warn", "error"),
  message: v.string(),
});

export type ReadyMessage = Infer<typeof readyMessage>;
export type ProgressMessage = Infer<typeof progressMessage>;
export type LoadedMessage = Infer<typeof loadedMessage>;
export type EventMessage = Infer<typeof eventMessage>;
export type EmbeddingsMessage = Infer<typeof embeddingsMessage>;
export type ErrorMessage = Infer<typeof errorMessage>;
export type LogMessage = Infer<typeof logMessage>;
export type WeightsMessage = Infer<typeof weightsMessage>;
export type ToParent =
  | ReadyMessage
  | ProgressMessage
  | LoadedMessage
  | EventMessage
  | EmbeddingsMessage
  | ErrorMessage
  | LogMessage
  | WeightsMessage;

/** A message from the worker, told apart by `type`. */
export const parseToParent: Validator<ToParent> = v.discriminated("type", {
  ready: readyMessage,
  progress: progressMessage,
  loaded: loadedMessage,
  event: eventMessage,
  embeddings: embeddingsMessage,
  error: errorMessage,
  log: logMessage,
  weights: weightsMessage,
});
