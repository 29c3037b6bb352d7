/**
 * Builds Responses API objects (`Response`, output items, usage) from engine output, field for field as
 * the `openai` SDK's types declare them.
 */
import { randomBytes } from "node:crypto";
import type { TokenLogprob, ToolCall, Usage } from "../../engine/types.ts";
import { openAiTokenLogprobs } from "../logprobs.ts";
import type { DoneEvent } from "../generation-stream.ts";
import type { ResponsesBody } from "./responses-request.ts";

export const newId = (prefix: string) => `${prefix}_${randomBytes(16).toString("hex")}`;

export type ResponseStatus = "in_progress" | "completed" | "incomplete" | "failed";

export function usageBody(u: Usage) {
  return {
    input_tokens: u.promptTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: u.completionTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: u.promptTokens + u.completionTokens,
  };
}

/** `logprobs`: the text's tokens, when the request asked for them (else an empty list, as OpenAI sends). */
export const outputText = (text: string, logprobs: TokenLogprob[] = []) => ({
  type: "output_text",
  text,
  annotations: [],
  logprobs: openAiTokenLogprobs(logprobs),
});

export function messageItem(
  id: string,
  text: string | null,
  status: ResponseStatus,
  logprobs: TokenLogprob[] = [],
) {
  return {
    id,
    type: "message",
    status,
    role: "assistant",
    content: text === null ? [] : [outputText(text, logprobs)],
  };
}

/** A thinking model's reasoning, as a `reasoning` item with its text as `reasoning_text` content. */
export function reasoningItem(id: string, text: string, status: ResponseStatus) {
  return {
    id,
    type: "reasoning",
    summary: [],
    content: status === "in_progress" ? [] : [{ type: "reasoning_text", text }],
    status,
  };
}

export function functionCallItem(id: string, call: ToolCall, status: ResponseStatus) {
  return {
    id,
    type: "function_call",
    status,
    call_id: call.id,
    name: call.name,
    arguments: status === "in_progress" ? "" : call.arguments,
  };
}

/**
 * Output items of a finished generation: the reasoning (if any), the text (if any, or if there is
 * nothing else, with its tokens' `logprobs` when asked for), then calls.
 */
export function outputItems(
  text: string,
  calls: ToolCall[],
  status: ResponseStatus,
  thinking = "",
  logprobs: TokenLogprob[] = [],
) {
  const items: Record<string, unknown>[] = [];
  if (thinking) items.push(reasoningItem(newId("rs"), thinking, "completed"));
  if (text || calls.length === 0) items.push(messageItem(newId("msg"), text, status, logprobs));
  for (const call of calls) items.push(functionCallItem(newId("fc"), call, "completed"));
  return items;
}

export const finalStatus = (done: DoneEvent): ResponseStatus =>
  done.finishReason === "length" ? "incomplete" : "completed";

/** The Response object; `output` and `usage` fill in as the generation goes. */
export function responseObject(
  base: { id: string; createdAt: number; body: ResponsesBody; store: boolean },
  status: ResponseStatus,
  output: Record<string, unknown>[],
  usage: Usage | null,
  error: { code: string; message: string } | null = null,
) {
  const b = base.body;
  return {
    id: base.id,
    object: "response",
    created_at: base.createdAt,
    status,
    completed_at: status === "completed" ? Math.floor(Date.now() / 1000) : null,
    background: false,
    error,
    incomplete_details: status === "incomplete" ? { reason: "max_output_tokens" } : null,
    instructions: b.instructions ?? null,
    max_output_tokens: b.max_output_tokens ?? null,
    metadata: b.metadata ?? {},
    model: b.model,
    output,
    parallel_tool_calls: b.parallel_tool_calls ?? true,
    previous_response_id: b.previous_response_id ?? null,
    reasoning: { effort: (b.reasoning?.effort as string | undefined) ?? null, summary: null },
    service_tier: "default",
    store: base.store,
    temperature: b.temperature ?? 1,
    text: { format: (b.text?.format as unknown) ?? { type: "text" } },
    tool_choice: b.tool_choice ?? "auto",
    tools: (b.tools ?? []).map((t) => ({ strict: null, description: null, parameters: null, ...t })),
    top_p: b.top_p ?? 1,
    truncation: b.truncation ?? "disabled",
    usage: usage ? usageBody(usage) : null,
    user: b.user ?? null,
  };
}
