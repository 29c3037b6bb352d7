/** Validates Ollama request bodies (/api/chat, /api/generate, /api/embed) and maps them to engine requests. */
import { assertSchemasWithinLimits } from "./schema-bounds.ts";
import { v, ValidationError } from "../../contract/validate.ts";
import type {
  ChatMessage,
  ChatRequest,
  LoadOptions,
  SamplingOptions,
  ToolDefinition,
} from "../engine/types.ts";
import { parseDurationSeconds } from "../settings/settings.ts";
import { requestedLogprobs } from "./logprobs.ts";

const optionsShape = v.optional(
  v.nullable(
    v.object({
      temperature: v.optional(v.number({ min: 0, max: 2 })),
      top_p: v.optional(v.number({ min: 0, max: 1 })),
      top_k: v.optional(v.number({ integer: true, min: 0 })),
      num_predict: v.optional(v.number({ integer: true })),
      num_ctx: v.optional(v.number({ integer: true, min: 128 })),
      seed: v.optional(v.number({ integer: true })),
      stop: v.optional(v.array(v.string())),
      repeat_penalty: v.optional(v.number({ min: 0 })),
      presence_penalty: v.optional(v.number()),
      frequency_penalty: v.optional(v.number()),
    }),
  ),
);

type OllamaOptions = NonNullable<ReturnType<typeof optionsShape>>;

function sampling(o: OllamaOptions | undefined): SamplingOptions & LoadOptions {
  const out: SamplingOptions & LoadOptions = {};
  if (!o) return out;
  if (o.temperature !== undefined) out.temperature = o.temperature;
  if (o.top_p !== undefined) out.topP = o.top_p;
  if (o.top_k !== undefined) out.topK = o.top_k;
  // Ollama: -1 (or -2) means "until the context is full".
  if (o.num_predict !== undefined && o.num_predict > 0) out.maxTokens = o.num_predict;
  if (o.num_ctx !== undefined) out.contextSize = o.num_ctx;
  if (o.seed !== undefined) out.seed = o.seed;
  if (o.stop?.length) out.stop = o.stop;
  if (o.repeat_penalty !== undefined) out.repeatPenalty = o.repeat_penalty;
  if (o.presence_penalty !== undefined) out.presencePenalty = o.presence_penalty;
  if (o.frequency_penalty !== undefined) out.frequencyPenalty = o.frequency_penalty;
  return out;
}

/** keep_alive: a duration such as "5m", a number of seconds, or negative for forever. */
const keepAliveField = v.optional(
  v.nullable(
    v.map(v.union(v.string({ max: 100 }), v.number()), (value, path) => {
      try {
        return parseDurationSeconds(value, path);
      } catch (error) {
        throw new ValidationError((error as Error).message);
      }
    }),
  ),
);

/** format: "json", or a JSON schema the reply must follow. */
const formatField = v.optional(
  v.nullable(
    v.union(
      v.map(v.literal("", "json"), (f): ChatRequest["responseFormat"] =>
        f === "json" ? { type: "json_object" } : undefined,
      ),
      v.map(v.record(v.json()), (schema): ChatRequest["responseFormat"] => ({ type: "json_schema", schema })),
    ),
  ),
);

/**
 * think: a switch or a level, as Ollama takes it. Any level is "on" (the engine has no levels), and "on"
 * is required: a model that cannot think answers 400, as Ollama's does. Absent: as the model does.
 */
const thinkField = v.optional(
  v.nullable(
    v.map(v.union(v.boolean(), v.literal("high", "medium", "low", "max")), (think) =>
      think === false ? false : ("required" as const),
    ),
  ),
);

/** logprobs: true with top_logprobs 0 to 20, checked by requestedLogprobs. */
const logprobFields = {
  logprobs: v.optional(v.nullable(v.json())),
  top_logprobs: v.optional(v.nullable(v.json())),
};

const messageShape = v.object({
  role: v.literal("system", "user", "assistant", "tool"),
  content: v.optional(v.nullable(v.string())),
  images: v.optional(v.nullable(v.array(v.string()))),
  tool_calls: v.optional(
    v.nullable(
      v.array(v.object({ function: v.object({ name: v.string(), arguments: v.optional(v.json()) }) })),
    ),
  ),
  tool_name: v.optional(v.string()),
});

const toolShape = v.object({
  type: v.literal("function"),
  function: v.object({
    name: v.string({ min: 1 }),
    description: v.optional(v.string()),
    parameters: v.optional(v.record(v.json())),
  }),
});

const modelName = (b: { model?: string; name?: string }) => {
  const name = b.model ?? b.name;
  if (!name) throw new ValidationError("model is required");
  return name;
};

export interface OllamaChat {
  /** null messages: only load (or unload with keep_alive 0) the model, as Ollama does. */
  request: ChatRequest;
  stream: boolean;
  loadOnly: boolean;
}

export function parseOllamaChat(body: unknown): OllamaChat {
  const b = v.object({
    model: v.optional(v.string({ min: 1 })),
    name: v.optional(v.string({ min: 1 })),
    messages: v.optional(v.nullable(v.array(messageShape))),
    stream: v.optional(v.boolean()),
    format: formatField,
    options: optionsShape,
    keep_alive: keepAliveField,
    tools: v.optional(v.nullable(v.array(toolShape))),
    think: thinkField,
    ...logprobFields,
  })(body, "");
  let callId = 0;
  // Ollama's calls have no ids: a result names its call by `tool_name`, or answers the calls in order.
  let unanswered: { id: string; name: string }[] = [];
  const messages: ChatMessage[] = (b.messages ?? []).map((m, i) => {
    if (m.images?.length) throw new ValidationError("images are not supported by this model runner yet");
    const out: ChatMessage = { role: m.role, content: m.content ?? "" };
    if (m.role === "tool") {
      const at = unanswered.findIndex((c) => m.tool_name === undefined || c.name === m.tool_name);
      if (at < 0)
        throw new ValidationError(
          m.tool_name === undefined
            ? `messages[${i}] is a tool result, but every tool call before it already has one`
            : `messages[${i}].tool_name is "${m.tool_name}", but no earlier unanswered tool call has that name`,
        );
      out.toolCallId = unanswered.splice(at, 1)[0]!.id;
    }
    if (m.tool_calls?.length) {
      out.toolCalls = m.tool_calls.map((c) => ({
        id: `call_${++callId}`,
        name: c.function.name,
        arguments:
          typeof c.function.arguments === "string"
            ? c.function.arguments
            : JSON.stringify(c.function.arguments ?? {}),
      }));
      unanswered = out.toolCalls.map((c) => ({ id: c.id, name: c.name }));
    }
    return out;
  });
  const request: ChatRequest = { model: modelName(b), messages, ...sampling(b.options ?? undefined) };
  if (b.keep_alive != null) request.keepAliveSeconds = b.keep_alive;
  if (b.format) request.responseFormat = b.format;
  if (b.think != null) request.think = b.think;
  const logprobs = requestedLogprobs(b);
  if (logprobs !== undefined) request.logprobs = logprobs;
  if (b.tools?.length)
    request.tools = b.tools.map((t): ToolDefinition => ({
      name: t.function.name,
      ...(t.function.description !== undefined ? { description: t.function.description } : {}),
      ...(t.function.parameters !== undefined ? { parameters: t.function.parameters } : {}),
    }));
  assertSchemasWithinLimits(request);
  return { request, stream: b.stream !== false, loadOnly: messages.length === 0 };
}

export interface OllamaGenerate extends OllamaChat {
  /** raw: the prompt goes to the model as is, without the chat template. */
  raw: boolean;
  prompt: string;
}

export function parseOllamaGenerate(body: unknown): OllamaGenerate {
  const b = v.object({
    model: v.optional(v.string({ min: 1 })),
    name: v.optional(v.string({ min: 1 })),
    prompt: v.optional(v.string()),
    system: v.optional(v.string()),
    raw: v.optional(v.boolean()),
    stream: v.optional(v.boolean()),
    format: formatField,
    options: optionsShape,
    keep_alive: keepAliveField,
    images: v.optional(v.nullable(v.array(v.string()))),
    suffix: v.optional(v.string()),
    context: v.optional(v.nullable(v.array(v.number({ integer: true }), { max: 1 << 20 }))),
    template: v.optional(v.string()),
    think: thinkField,
    ...logprobFields,
  })(body, "");
  if (b.images?.length) throw new ValidationError("images are not supported by this model runner yet");
  const prompt = b.prompt ?? "";
  const messages: ChatMessage[] = [];
  if (b.system) messages.push({ role: "system", content: b.system });
  if (prompt) messages.push({ role: "user", content: prompt });
  const request: ChatRequest = { model: modelName(b), messages, ...sampling(b.options ?? undefined) };
  if (b.keep_alive != null) request.keepAliveSeconds = b.keep_alive;
  if (b.format) request.responseFormat = b.format;
  if (b.think != null) request.think = b.think;
  const logprobs = requestedLogprobs(b);
  if (logprobs !== undefined) request.logprobs = logprobs;
  assertSchemasWithinLimits(request);
  return { request, stream: b.stream !== false, loadOnly: prompt === "", raw: b.raw === true, prompt };
}

export function parseOllamaEmbed(
  body: unknown,
  legacy: boolean,
): { model: string; input: string[]; keepAliveSeconds?: number } {
  const b = v.object({
    model: v.optional(v.string({ min: 1 })),
    name: v.optional(v.string({ min: 1 })),
    input: v.optional(
      v.union(
        v.map(v.string(), (x) => [x]),
        v.array(v.string(), { min: 1 }),
      ),
    ),
    prompt: v.optional(v.string()),
    truncate: v.optional(v.boolean()),
    options: optionsShape,
    keep_alive: keepAliveField,
    dimensions: v.optional(v.number({ integer: true, min: 1 })),
  })(body, "");
  const input = legacy ? (b.prompt === undefined ? undefined : [b.prompt]) : b.input;
  if (!input)
    throw new ValidationError(
      legacy ? "prompt must be a string" : "input must be a string or an array of strings",
    );
  return {
    model: modelName(b),
    input,
    ...(b.keep_alive != null ? { keepAliveSeconds: b.keep_alive } : {}),
  };
}

export function parseModelName(body: unknown): string {
  const b = v.object({ model: v.optional(v.string({ min: 1 })), name: v.optional(v.string({ min: 1 })) })(
    typeof body === "object" && body !== null
      ? { model: (body as { model?: unknown }).model, name: (body as { name?: unknown }).name }
      : body,
    "",
  );
  return modelName(b);
}
