/** Validates OpenAI request bodies and turns them into engine requests. */
import { assertSchemasWithinLimits } from "./schema-bounds.ts";
import { v, ValidationError } from "../../contract/validate.ts";
import type { SchemaChatRequest } from "./schema/checked-chat.ts";
import { logprobCount, requestedLogprobs } from "./logprobs.ts";
import type { ChatMessage, CompletionRequest, SamplingOptions, ToolDefinition } from "../engine/types.ts";

/**
 * OpenAI's SDKs and many clients send `null` for optional fields they do not set: at the top level of a
 * body, `null` means absent.
 */
export function withoutNulls(body: unknown): unknown {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null));
}

/** OpenAI's limit for completions' `logprobs`. */
const MAX_COMPLETION_LOGPROBS = 5;

const num = (min: number, max: number) => v.optional(v.nullable(v.number({ min, max })));
const int = (min: number, max: number) => v.optional(v.nullable(v.number({ min, max, integer: true })));

const sampling = {
  model: v.string({ min: 1, max: 512 }),
  temperature: num(0, 2),
  top_p: num(0, 1),
  top_k: int(0, 1000),
  max_tokens: int(1, 1 << 20),
  max_completion_tokens: int(1, 1 << 20),
  seed: v.optional(v.nullable(v.number({ integer: true }))),
  presence_penalty: num(-2, 2),
  frequency_penalty: num(-2, 2),
  repeat_penalty: num(0, 10),
  n: int(1, 1),
  stream: v.optional(v.nullable(v.boolean())),
  stream_options: v.optional(v.nullable(v.object({ include_usage: v.optional(v.boolean()) }))),
  stop: v.optional(
    v.nullable(
      v.union(
        v.map(v.string(), (x) => [x]),
        v.array(v.string(), { max: 4 }),
      ),
    ),
  ),
  user: v.optional(v.string()),
  logprobs: v.optional(v.json()),
  top_logprobs: v.optional(v.json()),
};

function samplingOptions(body: {
  temperature?: number | null;
  top_p?: number | null;
  top_k?: number | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  seed?: number | null;
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
  repeat_penalty?: number | null;
  stop?: string[] | null;
}): SamplingOptions {
  const out: SamplingOptions = {};
  if (body.temperature != null) out.temperature = body.temperature;
  if (body.top_p != null) out.topP = body.top_p;
  if (body.top_k != null) out.topK = body.top_k;
  const max = body.max_completion_tokens ?? body.max_tokens;
  if (max != null) out.maxTokens = max;
  if (body.seed != null) out.seed = body.seed;
  if (body.presence_penalty != null) out.presencePenalty = body.presence_penalty;
  if (body.frequency_penalty != null) out.frequencyPenalty = body.frequency_penalty;
  if (body.repeat_penalty != null) out.repeatPenalty = body.repeat_penalty;
  if (body.stop) out.stop = body.stop;
  return out;
}

/** Message content: a string, or text parts (images are not supported by the engine yet). */
const textPart = v.discriminated("type", { text: v.object({ type: v.literal("text"), text: v.string() }) });
const content = v.map(
  v.optional(v.nullable(v.union(v.string(), v.array(textPart, { max: 10_000 })))),
  (value) => (typeof value === "string" ? value : (value ?? []).map((p) => p.text).join("")),
);

const toolCallShape = v.object({
  id: v.string(),
  type: v.optional(v.literal("function")),
  function: v.object({ name: v.string({ min: 1 }), arguments: v.string() }),
});

const messageFields = {
  content,
  tool_calls: v.optional(v.nullable(v.array(toolCallShape, { max: 1000 }))),
  name: v.optional(v.string()),
};
const messageOfRole = <R extends string>(role: R) =>
  v.object({ role: v.literal(role), tool_call_id: v.optional(v.string()), ...messageFields });
/** A tool result must say which call it answers. */
const messageShape = v.discriminated("role", {
  system: messageOfRole("system"),
  developer: messageOfRole("developer"),
  user: messageOfRole("user"),
  assistant: messageOfRole("assistant"),
  tool: v.object({ role: v.literal("tool"), tool_call_id: v.string({ min: 1 }), ...messageFields }),
});

const messages = v.map(
  v.refine(v.array(messageShape, { max: 10_000 }), (list) =>
    list.length === 0 ? "must contain at least one message" : null,
  ),
  (list): ChatMessage[] =>
    list.map((m) => {
      const out: ChatMessage = { role: m.role === "developer" ? "system" : m.role, content: m.content };
      if (m.tool_call_id !== undefined && m.role === "tool") out.toolCallId = m.tool_call_id;
      if (m.tool_calls?.length)
        out.toolCalls = m.tool_calls.map((c) => ({
          id: c.id,
          name: c.function.name,
          arguments: c.function.arguments,
        }));
      return out;
    }),
);

const toolShape = v.object({
  type: v.literal("function"),
  function: v.object({
    name: v.string({ min: 1, max: 64 }),
    description: v.optional(v.nullable(v.string())),
    parameters: v.optional(v.record(v.json())),
    strict: v.optional(v.nullable(v.boolean())),
  }),
});

const toolChoice = v.optional(
  v.nullable(
    v.union(
      v.literal("auto", "none", "required"),
      v.map(
        v.object({ type: v.literal("function"), function: v.object({ name: v.string({ min: 1 }) }) }),
        (named) => ({ name: named.function.name }),
      ),
    ),
  ),
);

const responseFormat = v.optional(
  v.nullable(
    v.discriminated("type", {
      text: v.map(v.object({ type: v.literal("text") }), () => undefined),
      json_object: v.object({ type: v.literal("json_object") }),
      json_schema: v.map(
        v.object({
          type: v.literal("json_schema"),
          json_schema: v.object({
            name: v.optional(v.string()),
            schema: v.record(v.json()),
            strict: v.optional(v.nullable(v.boolean())),
          }),
        }),
        (f) => ({
          type: "json_schema" as const,
          schema: f.json_schema.schema,
          strict: f.json_schema.strict === true,
        }),
      ),
    }),
  ),
);

export interface ParsedChat {
  request: SchemaChatRequest;
  stream: boolean;
  includeUsage: boolean;
}

export function parseChatBody(body: unknown): ParsedChat {
  const b = v.object({
    ...sampling,
    messages,
    response_format: responseFormat,
    tools: v.optional(v.nullable(v.array(toolShape, { max: 128 }))),
    tool_choice: toolChoice,
    parallel_tool_calls: v.optional(v.boolean()),
    reasoning_effort: v.optional(v.literal("none", "minimal", "low", "medium", "high", "xhigh")),
    // llama-server's switch for templates with `enable_thinking` (Qwen3).
    chat_template_kwargs: v.optional(v.object({ enable_thinking: v.optional(v.boolean()) })),
  })(withoutNulls(body), "");
  const request: SchemaChatRequest = { model: b.model, messages: b.messages, ...samplingOptions(b) };
  // Thinking has no levels here: any effort but "none" lets a thinking model think.
  const think =
    b.chat_template_kwargs?.enable_thinking ??
    (b.reasoning_effort === undefined ? undefined : b.reasoning_effort !== "none");
  if (think !== undefined) request.think = think;
  const logprobs = requestedLogprobs(b);
  if (logprobs !== undefined) request.logprobs = logprobs;
  if (b.response_format?.type === "json_schema") {
    const { strict, ...format } = b.response_format;
    request.responseFormat = format;
    if (strict) request.strictFormat = true;
  } else if (b.response_format) request.responseFormat = b.response_format;
  const strictTools = (b.tools ?? []).filter((t) => t.function.strict === true).map((t) => t.function.name);
  if (strictTools.length) request.strictTools = strictTools;
  if (b.tools?.length) {
    request.tools = b.tools.map((t): ToolDefinition => ({
      name: t.function.name,
      ...(t.function.description != null ? { description: t.function.description } : {}),
      ...(t.function.parameters !== undefined ? { parameters: t.function.parameters } : {}),
    }));
    const choice = b.tool_choice;
    if (choice) request.toolChoice = choice;
    if (choice && typeof choice === "object" && !request.tools.some((t) => t.name === choice.name))
      throw new ValidationError(`tool_choice names "${choice.name}", which is not among tools`);
  } else if (
    b.tool_choice !== undefined &&
    b.tool_choice !== null &&
    b.tool_choice !== "none" &&
    b.tool_choice !== "auto"
  ) {
    throw new ValidationError("tool_choice needs tools");
  }
  assertSchemasWithinLimits(request);
  return { request, stream: b.stream === true, includeUsage: b.stream_options?.include_usage === true };
}

export interface ParsedCompletion {
  /** One request per prompt; each becomes a choice with the prompt's index. */
  requests: CompletionRequest[];
  stream: boolean;
  includeUsage: boolean;
  /** The prompt is repeated before the completion. */
  echo: boolean;
}

export function parseCompletionBody(body: unknown): ParsedCompletion {
  const b = v.object({
    ...sampling,
    // A prompt or a list of prompts (one choice each); token arrays are not supported.
    prompt: v.union(
      v.map(v.string(), (x) => [x]),
      v.array(v.string(), { min: 1, max: 64 }),
    ),
    echo: v.optional(v.boolean()),
    suffix: v.optional(v.string()),
  })(withoutNulls(body), "");
  if (b.top_logprobs !== undefined)
    throw new ValidationError("top_logprobs is a chat completions field: completions take logprobs: 0 to 5");
  const logprobs =
    b.logprobs === undefined ? undefined : logprobCount(b.logprobs, "logprobs", MAX_COMPLETION_LOGPROBS);
  if (logprobs !== undefined && b.echo)
    throw new ValidationError(
      "echo with logprobs is not supported: Hangar does not compute the prompt's token probabilities (use echo or logprobs)",
    );
  if (b.suffix)
    throw new ValidationError("suffix must be absent or empty: fill-in-the-middle is not supported");
  const options = { ...samplingOptions(b), ...(logprobs !== undefined ? { logprobs } : {}) };
  return {
    requests: b.prompt.map((prompt) => ({ model: b.model, prompt, ...options })),
    stream: b.stream === true,
    includeUsage: b.stream_options?.include_usage === true,
    echo: b.echo === true,
  };
}

export function parseEmbeddingBody(body: unknown): {
  model: string;
  input: string[];
  base64: boolean;
  dimensions?: number;
} {
  const b = v.object({
    model: v.string({ min: 1 }),
    input: v.union(
      v.map(v.string(), (x) => [x]),
      v.array(v.string(), { min: 1, max: 2048 }),
    ),
    encoding_format: v.optional(v.literal("float", "base64")),
    dimensions: v.optional(v.number({ integer: true, min: 1 })),
    user: v.optional(v.string()),
  })(withoutNulls(body), "");
  return {
    model: b.model,
    input: b.input,
    base64: b.encoding_format === "base64",
    ...(b.dimensions ? { dimensions: b.dimensions } : {}),
  };
}
