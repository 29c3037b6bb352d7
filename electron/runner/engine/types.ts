/**
 * The inference engine as the HTTP APIs, the bridge and the CLI see it. Implemented by the scheduler
 * (electron/runner/engine/scheduler.ts) over supervised worker processes, one per loaded model.
 */

export interface ChatMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string;
  /** For role "tool": which call this answers. */
  toolCallId?: string;
  /** For role "assistant": calls it made. */
  toolCalls?: ToolCall[];
}

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON schema of the arguments. */
  parameters?: Record<string, unknown>;
}

export interface ToolCall {
  id: string;
  name: string;
  /** JSON text, as OpenAI sends it. */
  arguments: string;
}

export interface SamplingOptions {
  temperature?: number;
  topP?: number;
  topK?: number;
  maxTokens?: number;
  stop?: string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  repeatPenalty?: number;
}

export interface LoadOptions {
  /** Context size per sequence; default from settings. */
  contextSize?: number;
  /** Ollama keep_alive in seconds: 0 unloads after the request, negative keeps it loaded forever. */
  keepAliveSeconds?: number;
}

/**
 * `logprobs`: return each output token's log probability with this many most likely alternatives at its
 * position (0 to MAX_TOP_LOGPROBS); absent: none.
 */
export interface LogprobOptions {
  logprobs?: number;
}

/** The most alternatives per token that `logprobs` may ask for (OpenAI's and Ollama's limit). */
export const MAX_TOP_LOGPROBS = 20;

export interface ChatRequest extends SamplingOptions, LoadOptions, LogprobOptions {
  model: string;
  messages: ChatMessage[];
  /** Constrain output to JSON (any object) or to a JSON schema. */
  responseFormat?: { type: "json_object" } | { type: "json_schema"; schema: Record<string, unknown> };
  tools?: ToolDefinition[];
  toolChoice?: "auto" | "none" | "required" | { name: string };
  /**
   * Thinking, for models that think in a separate segment: absent, as the model does (it thinks);
   * false switches it off; true asks for it; "required" also makes a model that cannot think an
   * EngineError "invalid_request" with the message THINKING_UNSUPPORTED (Ollama's `think: true`).
   */
  think?: boolean | "required";
}

/** The message of the error a `think: "required"` request gets from a model that cannot think. */
export const THINKING_UNSUPPORTED = "the model does not support thinking";

export interface CompletionRequest extends SamplingOptions, LoadOptions, LogprobOptions {
  model: string;
  prompt: string;
}

export interface EmbeddingRequest extends LoadOptions {
  model: string;
  input: string[];
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

/** A token as text, its log probability, and its UTF-8 bytes. */
export interface TokenProbability {
  token: string;
  /** Natural log of the model's probability (log-softmax of its logits, before any sampling step). */
  logprob: number;
  bytes: number[];
}

/** One output token with the most likely tokens at its position, most likely first. */
export interface TokenLogprob extends TokenProbability {
  top: TokenProbability[];
}

/** Streamed output: thinking and text deltas in order, then exactly one "done" (or the iterator throws). */
export type GenerationEvent =
  /** The model is loading; `progress` (0 to 1) as the load goes on. */
  | { type: "loading"; progress?: number }
  /** `logprobs`: the tokens this text came from, when the request asked for them. */
  | { type: "delta"; text: string; logprobs?: TokenLogprob[] }
  /** Reasoning the model wrote in its thought segment, kept apart from the reply's text. */
  | { type: "thinking"; text: string }
  | { type: "tool_calls"; calls: ToolCall[] }
  | {
      type: "done";
      finishReason: "stop" | "length" | "tool_calls" | "cancelled";
      usage: Usage;
      timeToFirstTokenMs: number;
      tokensPerSecond: number;
    };

export interface LoadedModelInfo {
  ref: string;
  /** Bytes the model is estimated to hold in memory (weights + KV cache). */
  memoryBytes: number;
  contextSize: number;
  activeSequences: number;
  queued: number;
  /** ms since epoch when it unloads unless used; null = kept forever. */
  expiresAt: number | null;
  backend: string;
  loadedAt: number;
  /** Process id of the model's inference worker. */
  pid?: number;
  /** Where decoding reads the weights from: the mapped file, or the worker's own memory. */
  weights?: "mapped" | "memory";
}

export interface Engine {
  chat(request: ChatRequest, signal?: AbortSignal): AsyncIterable<GenerationEvent>;
  complete(request: CompletionRequest, signal?: AbortSignal): AsyncIterable<GenerationEvent>;
  embed(request: EmbeddingRequest, signal?: AbortSignal): Promise<{ embeddings: number[][]; usage: Usage }>;
  /** Loads without generating (UI "Load" button); resolves when ready. */
  load(ref: string, options?: LoadOptions): Promise<void>;
  unload(ref: string): Promise<void>;
  unloadAll(): Promise<void>;
  loaded(): LoadedModelInfo[];
  /** Called whenever loaded models or busy counts change (for status streams and the tray). */
  onChange(listener: () => void): () => void;
  close(): Promise<void>;
}

/** Errors the engine throws; the HTTP layer maps codes to status codes. */
export class EngineError extends Error {
  constructor(
    readonly code:
      | "not_found"
      | "overloaded"
      | "worker_crashed"
      | "invalid_request"
      | "load_failed"
      | "cancelled"
      /** The worker is alive but the operation failed inside it (not the request's fault). */
      | "internal",
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "EngineError";
  }
}
