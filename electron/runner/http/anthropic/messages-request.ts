/**
 * Validates an Anthropic Messages API body (`POST /v1/messages`, `/v1/messages/count_tokens`) and turns
 * it into an engine chat request. Shapes follow `@anthropic-ai/sdk` (resources/messages/messages.d.ts).
 */
import { v, ValidationError } from "../../../contract/validate.ts";
import type { ChatMessage, ToolCall, ToolDefinition } from "../../engine/types.ts";
import { withoutNulls } from "../openai-requests.ts";
import type { SchemaChatRequest } from "../schema/checked-chat.ts";

const blockList = v.array(v.record(v.json()), { max: 10_000 });

const messageShape = v.object({
  role: v.literal("user", "assistant"),
  content: v.json(),
});

const toolShape = v.object({
  name: v.string({ min: 1, max: 128 }),
  description: v.optional(v.string()),
  input_schema: v.record(v.json()),
  type: v.optional(v.literal("custom")),
  cache_control: v.optional(v.json()),
  strict: v.optional(v.boolean()),
});

const bodyShape = v.object({
  model: v.string({ min: 1, max: 512 }),
  messages: v.array(messageShape, { max: 10_000 }),
  max_tokens: v.optional(v.number({ integer: true, min: 1, max: 1 << 20 })),
  system: v.optional(v.json()),
  stop_sequences: v.optional(v.array(v.string(), { max: 16 })),
  temperature: v.optional(v.number({ min: 0, max: 1 })),
  top_p: v.optional(v.number({ min: 0, max: 1 })),
  top_k: v.optional(v.number({ integer: true, min: 0 })),
  tools: v.optional(v.array(v.record(v.json()), { max: 128 })),
  tool_choice: v.optional(v.record(v.json())),
  stream: v.optional(v.boolean()),
  metadata: v.optional(v.json()),
  thinking: v.optional(v.record(v.json())),
  output_config: v.optional(
    v.object({ effort: v.optional(v.json()), format: v.optional(v.nullable(v.record(v.json()))) }),
  ),
  service_tier: v.optional(v.string()),
});

export interface ParsedMessages {
  request: SchemaChatRequest;
  stream: boolean;
}

function text(block: Record<string, unknown>, path: string): string {
  return v.string()(block.text, `${path}.text`);
}

function systemText(value: unknown): string | null {
  if (value === undefined || value === "") return null;
  if (typeof value === "string") return value;
  return blockList(value, "system")
    .map((b, i) => {
      if (b.type !== "text") throw new ValidationError(`system[${i}].type must be "text"`);
      return text(b, `system[${i}]`);
    })
    .join("\n");
}

function toolResultText(content: unknown, path: string): string {
  if (content === undefined) return "";
  if (typeof content === "string") return content;
  return blockList(content, path)
    .map((b, i) => {
      if (b.type !== "text")
        throw new ValidationError(
          `${path}[${i}].type must be "text": images in tool results are not supported`,
        );
      return text(b, `${path}[${i}]`);
    })
    .join("");
}

/** One Anthropic message to chat messages: tool results come first (they answer the previous turn). */
function toChatMessages(m: { role: "user" | "assistant"; content?: unknown }, path: string): ChatMessage[] {
  if (typeof m.content === "string") return [{ role: m.role, content: m.content }];
  const blocks = blockList(m.content, `${path}.content`);
  const results: ChatMessage[] = [];
  let content = "";
  const calls: ToolCall[] = [];
  blocks.forEach((b, i) => {
    const at = `${path}.content[${i}]`;
    switch (b.type) {
      case "text":
        content += text(b, at);
        return;
      case "tool_use": {
        if (m.role !== "assistant")
          throw new ValidationError(`${at}: tool_use blocks belong to assistant messages`);
        const use = v.object({ id: v.string({ min: 1 }), name: v.string({ min: 1 }), input: v.json() })(
          b,
          at,
        );
        calls.push({ id: use.id, name: use.name, arguments: JSON.stringify(use.input ?? {}) });
        return;
      }
      case "tool_result": {
        if (m.role !== "user") throw new ValidationError(`${at}: tool_result blocks belong to user messages`);
        const r = v.object({
          tool_use_id: v.string({ min: 1 }),
          content: v.json(),
          is_error: v.optional(v.boolean()),
        })(b, at);
        const body = toolResultText(r.content, `${at}.content`);
        results.push({
          role: "tool",
          toolCallId: r.tool_use_id,
          content: r.is_error ? `Error: ${body}` : body,
        });
        return;
      }
      case "thinking":
      case "redacted_thinking":
        return; // earlier reasoning is not part of the prompt
      default:
        throw new ValidationError(
          `${at}.type ${JSON.stringify(b.type)} is not supported: use text, tool_use, tool_result or thinking`,
        );
    }
  });
  const out = results;
  if (content || calls.length || results.length === 0)
    out.push({ role: m.role, content, ...(calls.length ? { toolCalls: calls } : {}) });
  return out;
}

function tools(list: Record<string, unknown>[] | undefined): ToolDefinition[] | undefined {
  if (!list?.length) return undefined;
  return list.map((raw, i) => {
    if (raw.type !== undefined && raw.type !== "custom")
      throw new ValidationError(
        `tools[${i}].type ${JSON.stringify(raw.type)} is not supported: Hangar runs no server tools, only client tools with input_schema`,
      );
    const t = toolShape(raw, `tools[${i}]`);
    return {
      name: t.name,
      ...(t.description ? { description: t.description } : {}),
      parameters: t.input_schema,
    };
  });
}

function toolChoice(value: Record<string, unknown> | undefined, offered: ToolDefinition[] | undefined) {
  if (!value) return undefined;
  switch (value.type) {
    case "auto":
      return "auto" as const;
    case "none":
      return "none" as const;
    case "any":
      if (!offered) throw new ValidationError('tool_choice {type:"any"} needs tools');
      return "required" as const;
    case "tool": {
      const name = v.string({ min: 1 })(value.name, "tool_choice.name");
      if (!offered?.some((t) => t.name === name))
        throw new ValidationError(`tool_choice.name "${name}" is not among tools`);
      return { name };
    }
    default:
      throw new ValidationError('tool_choice.type must be "auto", "any", "tool" or "none"');
  }
}

/**
 * `thinking`: "enabled" (or "adaptive") lets a thinking model think, "disabled" switches it off. A model
 * that cannot think just answers (as Ollama relaxes it for Claude Code); `budget_tokens` is not a limit
 * here: the reply's max_tokens is.
 */
function thinking(config: Record<string, unknown> | undefined): boolean | undefined {
  if (!config) return undefined;
  switch (config.type) {
    case "enabled":
    case "adaptive":
      return true;
    case "disabled":
      return false;
    default:
      return undefined;
  }
}

export function parseMessagesBody(raw: unknown, countOnly = false): ParsedMessages {
  const b = bodyShape(withoutNulls(raw), "");
  if (!countOnly && b.max_tokens === undefined) throw new ValidationError("max_tokens: Field required");
  if (b.messages.length === 0) throw new ValidationError("messages: at least one message is required");
  const messages: ChatMessage[] = [];
  const system = systemText(b.system);
  if (system !== null) messages.push({ role: "system", content: system });
  b.messages.forEach((m, i) => messages.push(...toChatMessages(m, `messages[${i}]`)));
  const request: SchemaChatRequest = { model: b.model, messages };
  if (b.max_tokens !== undefined) request.maxTokens = b.max_tokens;
  if (b.temperature !== undefined) request.temperature = b.temperature;
  if (b.top_p !== undefined) request.topP = b.top_p;
  if (b.top_k !== undefined) request.topK = b.top_k;
  if (b.stop_sequences?.length) request.stop = b.stop_sequences;
  const format = b.output_config?.format;
  if (format) {
    if (format.type !== "json_schema" || typeof format.schema !== "object" || format.schema === null)
      throw new ValidationError('output_config.format must be {type:"json_schema", schema}');
    request.responseFormat = { type: "json_schema", schema: format.schema as Record<string, unknown> };
  }
  const offered = tools(b.tools);
  if (offered) request.tools = offered;
  const strictTools = (b.tools ?? []).filter((t) => t.strict === true).map((t) => String(t.name));
  if (strictTools.length) request.strictTools = strictTools;
  const choice = toolChoice(b.tool_choice, offered);
  if (choice) request.toolChoice = choice;
  const think = thinking(b.thinking);
  if (think !== undefined) request.think = think;
  return { request, stream: b.stream === true };
}
