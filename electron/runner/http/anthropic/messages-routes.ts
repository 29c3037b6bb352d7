/**
 * Anthropic's Messages API: `POST /v1/messages` (streaming with Anthropic's events) and
 * `POST /v1/messages/count_tokens`, so Claude Code and the Anthropic SDKs can use local models.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Engine, ToolCall, Usage } from "../../engine/types.ts";
import { toHttpError } from "../errors.ts";
import { anthropicErrorBody } from "../error-styles.ts";
import { collect, recordStats, replay, startGeneration, type DoneEvent } from "../generation-stream.ts";
import { sendJson, type RequestContext, type Router } from "../router.ts";
import { sseEvent, startSse } from "../sse.ts";
import { checkedChat } from "../schema/checked-chat.ts";
import { parseMessagesBody } from "./messages-request.ts";

export interface MessagesDeps {
  engine: Engine;
}

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;

// The engine does not report which stop sequence ended a reply, so a stop is "end_turn".
const stopReason = (done: DoneEvent) =>
  done.finishReason === "length"
    ? "max_tokens"
    : done.finishReason === "tool_calls"
      ? "tool_use"
      : "end_turn";

function usage(u: Usage | null) {
  return {
    input_tokens: u?.promptTokens ?? 0,
    output_tokens: u?.completionTokens ?? 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: null,
    inference_geo: null,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: "standard",
    speed: null,
  };
}

const textBlock = (text: string) => ({ type: "text", text, citations: null });

/**
 * Anthropic signs thinking blocks so they can be passed back unchanged. Hangar keeps no secret to sign
 * with and needs nothing back: the signature is the digest of the text, opaque as the SDKs expect.
 */
const signature = (thinking: string) => createHash("sha256").update(thinking).digest("base64");
const thinkingBlock = (thinking: string) => ({ type: "thinking", thinking, signature: signature(thinking) });

function toolUseBlock(call: ToolCall, input: unknown = parseInput(call.arguments)) {
  return { type: "tool_use", id: call.id, name: call.name, input, caller: { type: "direct" } };
}

function parseInput(args: string): unknown {
  try {
    return JSON.parse(args || "{}");
  } catch {
    return {};
  }
}

function message(id: string, model: string, content: unknown[], done: DoneEvent | null) {
  return {
    id,
    type: "message",
    role: "assistant",
    model,
    content,
    container: null,
    diagnostics: null,
    stop_details: null,
    stop_reason: done ? stopReason(done) : null,
    stop_sequence: null,
    usage: usage(done?.usage ?? null),
  };
}

async function create(ctx: RequestContext, deps: MessagesDeps): Promise<void> {
  const { request, stream } = parseMessagesBody(await ctx.json());
  const id = newId("msg");
  if (!stream) {
    const result = await collect(checkedChat(deps.engine, request, ctx.signal));
    recordStats(ctx.stats, request.model, result.done);
    const content = [
      ...(result.thinking ? [thinkingBlock(result.thinking)] : []),
      ...(result.text || result.toolCalls.length === 0 ? [textBlock(result.text)] : []),
      ...result.toolCalls.map((c) => toolUseBlock(c)),
    ];
    return sendJson(ctx.res, 200, message(id, request.model, content, result.done));
  }
  const it = await startGeneration(checkedChat(deps.engine, request, ctx.signal));
  startSse(ctx.res);
  const emit = (type: string, data: Record<string, unknown> = {}) =>
    sseEvent(ctx.res, type, { type, ...data });
  emit("message_start", { message: message(id, request.model, [], null) });
  emit("ping");
  let index = -1;
  let textOpen = false;
  let thought: string | null = null;
  const closeThought = () => {
    if (thought === null) return;
    emit("content_block_delta", { index, delta: { type: "signature_delta", signature: signature(thought) } });
    emit("content_block_stop", { index });
    thought = null;
  };
  const closeText = () => {
    closeThought();
    if (textOpen) emit("content_block_stop", { index });
    textOpen = false;
  };
  try {
    for await (const event of replay(it)) {
      if (event.type === "thinking") {
        if (thought === null) {
          thought = "";
          emit("content_block_start", {
            index: ++index,
            content_block: { type: "thinking", thinking: "", signature: "" },
          });
        }
        thought += event.text;
        emit("content_block_delta", { index, delta: { type: "thinking_delta", thinking: event.text } });
      } else if (event.type === "delta") {
        closeThought();
        if (!textOpen) {
          emit("content_block_start", { index: ++index, content_block: textBlock("") });
          textOpen = true;
        }
        emit("content_block_delta", { index, delta: { type: "text_delta", text: event.text } });
      } else if (event.type === "tool_calls") {
        closeText();
        for (const call of event.calls) {
          emit("content_block_start", { index: ++index, content_block: toolUseBlock(call, {}) });
          emit("content_block_delta", {
            index,
            delta: { type: "input_json_delta", partial_json: JSON.stringify(parseInput(call.arguments)) },
          });
          emit("content_block_stop", { index });
        }
      } else if (event.type === "done") {
        recordStats(ctx.stats, request.model, event);
        closeThought();
        if (!textOpen && index < 0) {
          emit("content_block_start", { index: ++index, content_block: textBlock("") });
          textOpen = true;
        }
        closeText();
        const u = usage(event.usage);
        emit("message_delta", {
          delta: { stop_reason: stopReason(event), stop_sequence: null, container: null, stop_details: null },
          usage: { ...u, input_tokens: u.input_tokens },
        });
        emit("message_stop");
      }
    }
  } catch (error) {
    if (ctx.signal.aborted) return void ctx.res.end();
    const e = toHttpError(error);
    ctx.res.statusCode = e.status; // for the request log; the client already has 200
    sseEvent(ctx.res, "error", anthropicErrorBody(e));
  }
  ctx.res.end();
}

/**
 * Counts the prompt's tokens as the model sees it (chat template, tool documentation included) by
 * evaluating it and generating a single token: the engine has no separate tokenizer call.
 */
async function countTokens(ctx: RequestContext, deps: MessagesDeps): Promise<void> {
  const { request } = parseMessagesBody(await ctx.json(), true);
  const result = await collect(
    deps.engine.chat({ ...request, maxTokens: 1, toolChoice: "auto" }, ctx.signal),
  );
  sendJson(ctx.res, 200, { input_tokens: result.done.usage.promptTokens });
}

export function addMessagesRoutes(router: Router, deps: MessagesDeps): void {
  const anthropic = { errors: "anthropic" as const, management: false };
  router
    .add("POST", "/v1/messages", (ctx) => create(ctx, deps), anthropic)
    .add("POST", "/v1/messages/count_tokens", (ctx) => countTokens(ctx, deps), anthropic);
}
