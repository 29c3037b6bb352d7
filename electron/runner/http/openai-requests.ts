/** Validates OpenAI request bodies and turns them into engine requests. */
import { v, ValidationError } from "../../contract/validate.ts";
import type {
  ChatMessage,
  ChatRequest,
  CompletionRequest,
  SamplingOptions,
  ToolDefinition,
} from "../engine/types.ts";

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
  stop: v.optional(v.nullable(v.unknown())),
  user: v.optional(v.string()),
};

function stopList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.length <= 4 && value.every((s) => typeof s === "string"))
    return value as string[];
  throw new ValidationError("stop must be a string or an array of up to 4 strings");
}

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
  stop?: unknown;
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
  const stop = stopList(body.stop);
  if (stop) out.stop = stop;
  return out;
}

/** Message content: a string, or an array of text parts (images are not supported by the engine yet). */
function contentText(value: unknown, path: string): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (Array.isArray(value))
    return value
      .map((part, i) => {
        const p = part as { type?: unknown; text?: unknown };
        if (p && p.type === "text" && typeof p.text === "string") return p.text;
        throw new ValidationError(
          `${path}[${i}] must be a text part ({type:"text", text}); other content types are not supported`,
        );
      })
      .join("");
  throw new ValidationError(`${path} must be a string or an array of text parts`);
}

const toolCallShape = v.object({
  id: v.string(),
  type: v.optional(v.literal("function")),
  function: v.object({ name: v.string({ min: 1 }), arguments: v.string() }),
});

const messageShape = v.object({
  role: v.literal("system", "developer", "user", "assistant", "tool"),
  content: v.unknown(),
  tool_call_id: v.optional(v.string()),
  tool_calls: v.optional(v.nullable(v.array(toolCallShape))),
  name: v.optional(v.string()),
});

function messages(value: unknown): ChatMessage[] {
  const list = v.array(messageShape, { max: 10_000 })(value, "messages");
  if (list.length === 0) throw new ValidationError("messages must contain at least one message");
  return list.map((m, i) => {
    const role = m.role === "developer" ? "system" : m.role;
    const out: ChatMessage = { role, content: contentText(m.content, `messages[${i}].content`) };
    if (role === "tool") {
      if (!m.tool_call_id)
        throw new ValidationError(`messages[${i}].tool_call_id is required for role "tool"`);
      out.toolCallId = m.tool_call_id;
    }
    if (m.tool_calls?.length)
      out.toolCalls = m.tool_calls.map((c) => ({
        id: c.id,
        name: c.function.name,
        arguments: c.function.arguments,
      }));
    return out;
  });
}

const toolShape = v.object({
  type: v.literal("function"),
  function: v.object({
    name: v.string({ min: 1, max: 64 }),
    description: v.optional(v.string()),
    parameters: v.optional(v.record(v.unknown())),
    strict: v.optional(v.nullable(v.boolean())),
  }),
});

function toolChoice(value: unknown): ChatRequest["toolChoice"] {
  if (value === undefined || value === null) return undefined;
  if (value === "auto" || value === "none" || value === "required") return value;
  const named = value as { type?: unknown; function?: { name?: unknown } };
  if (named?.type === "function" && typeof named.function?.name === "string")
    return { name: named.function.name };
  throw new ValidationError(
    'tool_choice must be "auto", "none", "required" or {type:"function", function:{name}}',
  );
}

function responseFormat(value: unknown): ChatRequest["responseFormat"] {
  if (value === undefined || value === null) return undefined;
  const f = value as { type?: unknown; json_schema?: { schema?: unknown; name?: unknown } };
  if (f?.type === "text") return undefined;
  if (f?.type === "json_object") return { type: "json_object" };
  if (f?.type === "json_schema") {
    const schema = f.json_schema?.schema;
    if (typeof schema !== "object" || schema === null || Array.isArray(schema))
      throw new ValidationError("response_format.json_schema.schema must be a JSON schema object");
    return { type: "json_schema", schema: schema as Record<string, unknown> };
  }
  throw new ValidationError('response_format.type must be "text", "json_object" or "json_schema"');
}

export interface ParsedChat {
  request: ChatRequest;
  stream: boolean;
  includeUsage: boolean;
}

export function parseChatBody(body: unknown): ParsedChat {
  const b = v.object({
    ...sampling,
    messages: v.unknown(),
    response_format: v.optional(v.unknown()),
    tools: v.optional(v.nullable(v.array(toolShape, { max: 128 }))),
    tool_choice: v.optional(v.unknown()),
    parallel_tool_calls: v.optional(v.boolean()),
  })(body, "");
  const request: ChatRequest = { model: b.model, messages: messages(b.messages), ...samplingOptions(b) };
  const format = responseFormat(b.response_format);
  if (format) request.responseFormat = format;
  if (b.tools?.length) {
    request.tools = b.tools.map((t): ToolDefinition => ({
      name: t.function.name,
      ...(t.function.description !== undefined ? { description: t.function.description } : {}),
      ...(t.function.parameters !== undefined ? { parameters: t.function.parameters } : {}),
    }));
    const choice = toolChoice(b.tool_choice);
    if (choice) request.toolChoice = choice;
    if (typeof choice === "object" && !request.tools.some((t) => t.name === choice.name))
      throw new ValidationError(`tool_choice names "${choice.name}", which is not among tools`);
  } else if (
    b.tool_choice !== undefined &&
    b.tool_choice !== null &&
    b.tool_choice !== "none" &&
    b.tool_choice !== "auto"
  ) {
    throw new ValidationError("tool_choice needs tools");
  }
  return { request, stream: b.stream === true, includeUsage: b.stream_options?.include_usage === true };
}

export interface ParsedCompletion {
  request: CompletionRequest;
  stream: boolean;
  includeUsage: boolean;
}

export function parseCompletionBody(body: unknown): ParsedCompletion {
  const b = v.object({
    ...sampling,
    prompt: v.unknown(),
    echo: v.optional(v.boolean()),
    suffix: v.optional(v.nullable(v.string())),
  })(body, "");
  let prompt: string;
  if (typeof b.prompt === "string") prompt = b.prompt;
  else if (Array.isArray(b.prompt) && b.prompt.length === 1 && typeof b.prompt[0] === "string")
    prompt = b.prompt[0];
  else throw new ValidationError("prompt must be a string (token arrays and batches are not supported)");
  return {
    request: { model: b.model, prompt, ...samplingOptions(b) },
    stream: b.stream === true,
    includeUsage: b.stream_options?.include_usage === true,
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
    input: v.unknown(),
    encoding_format: v.optional(v.literal("float", "base64")),
    dimensions: v.optional(v.number({ integer: true, min: 1 })),
    user: v.optional(v.string()),
  })(body, "");
  const input = typeof b.input === "string" ? [b.input] : b.input;
  if (
    !Array.isArray(input) ||
    input.length === 0 ||
    input.length > 2048 ||
    !input.every((s) => typeof s === "string")
  )
    throw new ValidationError("input must be a string or an array of 1 to 2048 strings");
  return {
    model: b.model,
    input: input as string[],
    base64: b.encoding_format === "base64",
    ...(b.dimensions ? { dimensions: b.dimensions } : {}),
  };
}
