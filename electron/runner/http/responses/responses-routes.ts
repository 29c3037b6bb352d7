/**
 * OpenAI's Responses API: `POST /v1/responses` (streaming as typed events), `GET` and `DELETE
 * /v1/responses/{id}`. Stored responses carry their conversation, so `previous_response_id` continues it.
 */
import type { ChatMessage, Engine, TokenLogprob, ToolCall } from "../../engine/types.ts";
import { openAiTokenLogprobs } from "../logprobs.ts";
import { HttpError, toHttpError } from "../errors.ts";
import { collect, recordStats, replay, startGeneration } from "../generation-stream.ts";
import { sendJson, type RequestContext, type Router } from "../router.ts";
import { sseEvent, startSse } from "../sse.ts";
import { checkedChat, type SchemaChatRequest } from "../schema/checked-chat.ts";
import {
  finalStatus,
  functionCallItem,
  messageItem,
  newId,
  outputItems,
  outputText,
  reasoningItem,
  responseObject,
} from "./response-object.ts";
import type { ResponseStore } from "./response-store.ts";
import { parseResponsesBody } from "./responses-request.ts";

export interface ResponsesDeps {
  engine: Engine;
  store: ResponseStore;
}

const notFound = (id: string, param: string | null = null) =>
  new HttpError(404, `Response with id '${id}' not found.`, "invalid_request_error", "not_found", param);

async function create(ctx: RequestContext, deps: ResponsesDeps): Promise<void> {
  const parsed = parseResponsesBody(await ctx.json());
  const { body } = parsed;
  const previous = body.previous_response_id ? await deps.store.get(body.previous_response_id) : null;
  if (body.previous_response_id && !previous)
    throw notFound(body.previous_response_id, "previous_response_id");
  // Instructions apply to this response only; earlier turns come from the stored conversation.
  const history = [...(previous?.messages ?? []), ...parsed.input];
  const messages: ChatMessage[] = body.instructions
    ? [{ role: "system", content: body.instructions }, ...history]
    : history;
  const request: SchemaChatRequest = { ...parsed.request, messages };
  const base = { id: newId("resp"), createdAt: Math.floor(Date.now() / 1000), body, store: parsed.store };
  const remember = async (response: ReturnType<typeof responseObject>, text: string, calls: ToolCall[]) => {
    if (!parsed.store) return;
    const reply: ChatMessage = {
      role: "assistant",
      content: text,
      ...(calls.length ? { toolCalls: calls } : {}),
    };
    await deps.store.save({ response, messages: [...history, reply] });
  };

  if (!parsed.stream) {
    const result = await collect(checkedChat(deps.engine, request, ctx.signal));
    recordStats(ctx.stats, body.model, result.done);
    const status = finalStatus(result.done);
    const response = responseObject(
      base,
      status,
      outputItems(result.text, result.toolCalls, status, result.thinking, result.logprobs),
      result.done.usage,
    );
    await remember(response, result.text, result.toolCalls);
    return sendJson(ctx.res, 200, response);
  }

  const it = await startGeneration(checkedChat(deps.engine, request, ctx.signal));
  startSse(ctx.res);
  let sequence = 0;
  const emit = (type: string, data: Record<string, unknown>) =>
    sseEvent(ctx.res, type, { type, sequence_number: sequence++, ...data });
  const output: Record<string, unknown>[] = [];
  emit("response.created", { response: responseObject(base, "in_progress", [], null) });
  emit("response.in_progress", { response: responseObject(base, "in_progress", [], null) });

  let text = "";
  const logprobs: TokenLogprob[] = [];
  const calls: ToolCall[] = [];
  let reasoning: { id: string; index: number; text: string } | null = null;
  const closeReasoning = () => {
    if (!reasoning) return;
    const at = { item_id: reasoning.id, output_index: reasoning.index, content_index: 0 };
    const part = { type: "reasoning_text", text: reasoning.text };
    emit("response.reasoning_text.done", { ...at, text: reasoning.text });
    emit("response.content_part.done", { ...at, part });
    output[reasoning.index] = reasoningItem(reasoning.id, reasoning.text, "completed");
    emit("response.output_item.done", { output_index: reasoning.index, item: output[reasoning.index] });
    reasoning = null;
  };
  let message: { id: string; index: number } | null = null;
  const openMessage = () => {
    closeReasoning();
    message = { id: newId("msg"), index: output.length };
    output.push(messageItem(message.id, null, "in_progress"));
    const at = { item_id: message.id, output_index: message.index };
    emit("response.output_item.added", { output_index: message.index, item: output[message.index] });
    emit("response.content_part.added", { ...at, content_index: 0, part: outputText("") });
    return message;
  };
  const closeMessage = (status: "completed" | "incomplete") => {
    if (!message) return;
    const at = { item_id: message.id, output_index: message.index, content_index: 0 };
    emit("response.output_text.done", { ...at, text, logprobs: openAiTokenLogprobs(logprobs) });
    emit("response.content_part.done", { ...at, part: outputText(text, logprobs) });
    output[message.index] = messageItem(message.id, text, status, logprobs);
    emit("response.output_item.done", { output_index: message.index, item: output[message.index] });
    message = null;
  };

  try {
    for await (const event of replay(it)) {
      if (event.type === "thinking") {
        if (!reasoning) {
          reasoning = { id: newId("rs"), index: output.length, text: "" };
          output.push(reasoningItem(reasoning.id, "", "in_progress"));
          emit("response.output_item.added", {
            output_index: reasoning.index,
            item: output[reasoning.index],
          });
          emit("response.content_part.added", {
            item_id: reasoning.id,
            output_index: reasoning.index,
            content_index: 0,
            part: { type: "reasoning_text", text: "" },
          });
        }
        reasoning.text += event.text;
        emit("response.reasoning_text.delta", {
          item_id: reasoning.id,
          output_index: reasoning.index,
          content_index: 0,
          delta: event.text,
        });
      } else if (event.type === "delta") {
        const m = message ?? openMessage();
        text += event.text;
        logprobs.push(...(event.logprobs ?? []));
        emit("response.output_text.delta", {
          item_id: m.id,
          output_index: m.index,
          content_index: 0,
          delta: event.text,
          logprobs: openAiTokenLogprobs(event.logprobs ?? []),
        });
      } else if (event.type === "tool_calls") {
        closeReasoning();
        closeMessage("completed");
        for (const call of event.calls) {
          calls.push(call);
          const id = newId("fc");
          const index = output.length;
          output.push(functionCallItem(id, call, "in_progress"));
          emit("response.output_item.added", { output_index: index, item: output[index] });
          const at = { item_id: id, output_index: index };
          emit("response.function_call_arguments.delta", { ...at, delta: call.arguments });
          emit("response.function_call_arguments.done", {
            ...at,
            name: call.name,
            arguments: call.arguments,
          });
          output[index] = functionCallItem(id, call, "completed");
          emit("response.output_item.done", { output_index: index, item: output[index] });
        }
      } else if (event.type === "done") {
        recordStats(ctx.stats, body.model, event);
        const status = finalStatus(event);
        closeReasoning();
        if (!message && !output.some((item) => item.type !== "reasoning")) openMessage();
        closeMessage(status === "incomplete" ? "incomplete" : "completed");
        const response = responseObject(base, status, output, event.usage);
        await remember(response, text, calls);
        emit(status === "incomplete" ? "response.incomplete" : "response.completed", { response });
      }
    }
  } catch (error) {
    if (ctx.signal.aborted) return void ctx.res.end();
    const e = toHttpError(error);
    ctx.res.statusCode = e.status; // for the request log; the client already has 200
    emit("error", { code: e.code, message: e.message, param: e.param });
    emit("response.failed", {
      response: responseObject(base, "failed", output, null, { code: "server_error", message: e.message }),
    });
  }
  ctx.res.end();
}

export function addResponsesRoutes(router: Router, deps: ResponsesDeps): void {
  // Stored responses are reached by their unguessable ids, like the generation that made them.
  const inference = { management: false };
  router
    .add("POST", "/v1/responses", (ctx) => create(ctx, deps), inference)
    .add(
      "GET",
      "/v1/responses/:id",
      async (ctx) => {
        const stored = await deps.store.get(ctx.params.id!);
        if (!stored) throw notFound(ctx.params.id!);
        sendJson(ctx.res, 200, stored.response);
      },
      inference,
    )
    .add(
      "DELETE",
      "/v1/responses/:id",
      async (ctx) => {
        const id = ctx.params.id!;
        if (!(await deps.store.delete(id))) throw notFound(id);
        sendJson(ctx.res, 200, { id, object: "response", deleted: true });
      },
      inference,
    );
}
