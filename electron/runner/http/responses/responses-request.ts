/**
 * Validates an OpenAI Responses API body (`POST /v1/responses`) and turns its input items into the
 * engine's chat messages. Shapes follow the `openai` SDK's types (resources/responses/responses.d.ts).
 */
import { v, ValidationError } from "../../../contract/validate.ts";
import {
  MAX_TOP_LOGPROBS,
  type ChatMessage,
  type ChatRequest,
  type ToolDefinition,
} from "../../engine/types.ts";
import { logprobCount } from "../logprobs.ts";
import { withoutNulls } from "../openai-requests.ts";
import type { SchemaChatRequest } from "../schema/checked-chat.ts";

const num = (min: number, max: number) => v.optional(v.number({ min, max }));

const bodyShape = v.object({
  model: v.string({ min: 1, max: 512 }),
  input: v.optional(v.json()),
  instructions: v.optional(v.string()),
  max_output_tokens: v.optional(v.number({ integer: true, min: 1, max: 1 << 20 })),
  temperature: num(0, 2),
  top_p: num(0, 1),
  tools: v.optional(v.array(v.record(v.json()), { max: 128 })),
  tool_choice: v.optional(v.json()),
  parallel_tool_calls: v.optional(v.boolean()),
  text: v.optional(v.record(v.json())),
  stream: v.optional(v.boolean()),
  store: v.optional(v.boolean()),
  previous_response_id: v.optional(v.string({ min: 1, max: 200 })),
  reasoning: v.optional(v.record(v.json())),
  metadata: v.optional(v.record(v.string())),
  include: v.optional(v.array(v.string())),
  truncation: v.optional(v.literal("auto", "disabled")),
  user: v.optional(v.string()),
  safety_identifier: v.optional(v.string()),
  prompt_cache_key: v.optional(v.string()),
  service_tier: v.optional(v.string()),
  stream_options: v.optional(v.json()),
  top_logprobs: v.optional(v.json()),
  background: v.optional(v.literal(false)),
});

export type ResponsesBody = ReturnType<typeof bodyShape>;

export interface ParsedResponses {
  body: ResponsesBody;
  /** This request's input as chat messages (without instructions or earlier turns). */
  input: ChatMessage[];
  /** Everything of the request but the messages. */
  request: Omit<SchemaChatRequest, "messages">;
  stream: boolean;
  store: boolean;
}

function textOfParts(content: unknown, path: string): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content))
    throw new ValidationError(`${path} must be a string or an array of content parts`);
  return content
    .map((part, i) => {
      const p = part as { type?: unknown; text?: unknown; refusal?: unknown };
      if ((p?.type === "input_text" || p?.type === "output_text") && typeof p.text === "string")
        return p.text;
      if (p?.type === "refusal" && typeof p.refusal === "string") return p.refusal;
      throw new ValidationError(
        `${path}[${i}].type must be "input_text" or "output_text" (got ${JSON.stringify(p?.type)}): images and files are not supported`,
      );
    })
    .join("");
}

/** Input items to chat messages; function calls join the assistant turn they belong to. */
export function inputMessages(input: unknown): ChatMessage[] {
  if (input === undefined) return [];
  if (typeof input === "string") return [{ role: "user", content: input }];
  if (!Array.isArray(input)) throw new ValidationError("input must be a string or an array of input items");
  const out: ChatMessage[] = [];
  input.forEach((raw, i) => {
    const path = `input[${i}]`;
    const item = raw as Record<string, unknown> | null;
    if (typeof item !== "object" || item === null) throw new ValidationError(`${path} must be an object`);
    const type = item.type ?? "message";
    switch (type) {
      case "message": {
        const role = item.role;
        if (role !== "user" && role !== "assistant" && role !== "system" && role !== "developer")
          throw new ValidationError(`${path}.role must be one of user, assistant, system, developer`);
        out.push({
          role: role === "developer" ? "system" : role,
          content: textOfParts(item.content, `${path}.content`),
        });
        return;
      }
      case "function_call": {
        const call = v.object({
          call_id: v.string({ min: 1 }),
          name: v.string({ min: 1 }),
          arguments: v.string(),
        })(item, path);
        const last = out[out.length - 1];
        const turn =
          last?.role === "assistant"
            ? last
            : (out[out.push({ role: "assistant", content: "" }) - 1] as ChatMessage);
        (turn.toolCalls ??= []).push({ id: call.call_id, name: call.name, arguments: call.arguments });
        return;
      }
      case "function_call_output": {
        const result = v.object({ call_id: v.string({ min: 1 }), output: v.json() })(item, path);
        out.push({
          role: "tool",
          toolCallId: result.call_id,
          content: textOfParts(result.output, `${path}.output`),
        });
        return;
      }
      case "reasoning":
        return; // the model's earlier reasoning is not part of the prompt (as with OpenAI's models)
      default:
        throw new ValidationError(
          `${path}.type ${JSON.stringify(type)} is not supported: use message, function_call, function_call_output or reasoning`,
        );
    }
  });
  return out;
}

function tools(list: Record<string, unknown>[] | undefined): ToolDefinition[] | undefined {
  if (!list?.length) return undefined;
  return list.map((t, i) => {
    if (t.type !== "function")
      throw new ValidationError(
        `tools[${i}].type ${JSON.stringify(t.type)} is not supported: Hangar runs no hosted tools, only function tools`,
      );
    const f = v.object({
      name: v.string({ min: 1, max: 64 }),
      description: v.optional(v.nullable(v.string())),
      parameters: v.optional(v.nullable(v.record(v.json()))),
      strict: v.optional(v.nullable(v.boolean())),
    })(t, `tools[${i}]`);
    return {
      name: f.name,
      ...(f.description != null ? { description: f.description } : {}),
      ...(f.parameters != null ? { parameters: f.parameters } : {}),
    };
  });
}

function toolChoice(value: unknown, offered: ToolDefinition[] | undefined): ChatRequest["toolChoice"] {
  if (value === undefined) return undefined;
  if (value === "auto" || value === "none" || value === "required") {
    if (value === "required" && !offered) throw new ValidationError('tool_choice "required" needs tools');
    return value;
  }
  const named = value as { type?: unknown; name?: unknown };
  if (named?.type === "function" && typeof named.name === "string") {
    if (!offered?.some((t) => t.name === named.name))
      throw new ValidationError(`tool_choice names "${named.name}", which is not among tools`);
    return { name: named.name };
  }
  throw new ValidationError('tool_choice must be "auto", "none", "required" or {type:"function", name}');
}

function textFormat(text: Record<string, unknown> | undefined): ChatRequest["responseFormat"] {
  const format = text?.format as Record<string, unknown> | undefined | null;
  if (!format || format.type === "text") return undefined;
  if (format.type === "json_object") return { type: "json_object" };
  if (format.type === "json_schema") {
    const schema = format.schema;
    if (typeof schema !== "object" || schema === null || Array.isArray(schema))
      throw new ValidationError("text.format.schema must be a JSON schema object");
    return { type: "json_schema", schema: schema as Record<string, unknown> };
  }
  throw new ValidationError('text.format.type must be "text", "json_object" or "json_schema"');
}

export function parseResponsesBody(raw: unknown): ParsedResponses {
  const body = bodyShape(withoutNulls(raw), "");
  const offered = tools(body.tools);
  const request: Omit<SchemaChatRequest, "messages"> = { model: body.model };
  if (body.temperature !== undefined) request.temperature = body.temperature;
  if (body.top_p !== undefined) request.topP = body.top_p;
  if (body.max_output_tokens !== undefined) request.maxTokens = body.max_output_tokens;
  // Log probabilities come with `include: ["message.output_text.logprobs"]` or a top_logprobs above 0.
  const top =
    body.top_logprobs === undefined
      ? undefined
      : logprobCount(body.top_logprobs, "top_logprobs", MAX_TOP_LOGPROBS);
  if (body.include?.includes("message.output_text.logprobs") || top) request.logprobs = top ?? 0;
  if (offered) request.tools = offered;
  const choice = toolChoice(body.tool_choice, offered);
  if (choice) request.toolChoice = choice;
  const format = textFormat(body.text);
  if (format) request.responseFormat = format;
  // A thinking model thinks unless the effort is "none"; the engine has no levels in between.
  const effort = body.reasoning?.effort;
  if (effort !== undefined && effort !== null) request.think = effort !== "none";
  if ((body.text?.format as { strict?: unknown } | undefined)?.strict === true) request.strictFormat = true;
  const strictTools = (body.tools ?? []).filter((t) => t.strict === true).map((t) => String(t.name));
  if (strictTools.length) request.strictTools = strictTools;
  const input = inputMessages(body.input);
  if (input.length === 0 && !body.previous_response_id) throw new ValidationError("input must not be empty");
  return { body, input, request, stream: body.stream === true, store: body.store !== false };
}
