/** The OpenAI-compatible API under /v1: models, chat completions, completions, embeddings. */
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { Engine, TokenLogprob, ToolCall, Usage } from "../engine/types.ts";
import type { ModelLibrary } from "../models.ts";
import { openAiErrorBody, toHttpError } from "./errors.ts";
import { parseChatBody, parseCompletionBody, parseEmbeddingBody } from "./openai-requests.ts";
import { collect, recordStats, replay, startGeneration, type DoneEvent } from "./generation-stream.ts";
import { sendJson, type RequestContext, type Router } from "./router.ts";
import { writeOrDrop } from "./stream-write.ts";
import { startSse } from "./sse.ts";
import { openAiChatLogprobs, openAiCompletionLogprobs } from "./logprobs.ts";

type ChunkLogprobs = ReturnType<typeof openAiCompletionLogprobs>;
import { checkedChat } from "./schema/checked-chat.ts";

export interface ApiDeps {
  engine: Engine;
  library: ModelLibrary;
}

const usageBody = (u: Usage) => ({
  prompt_tokens: u.promptTokens,
  completion_tokens: u.completionTokens,
  total_tokens: u.promptTokens + u.completionTokens,
});

const finishReason = (done: DoneEvent) => (done.finishReason === "cancelled" ? "stop" : done.finishReason);

const toolCallsBody = (calls: ToolCall[]) =>
  calls.map((c) => ({
    id: c.id,
    type: "function" as const,
    function: { name: c.name, arguments: c.arguments },
  }));

const sse = (res: ServerResponse, data: unknown) => writeOrDrop(res, `data: ${JSON.stringify(data)}\n\n`);

/** Reports a failure inside an already-started stream, as OpenAI does, then ends it. */
function sseFail(ctx: RequestContext, error: unknown): void {
  if (ctx.signal.aborted) return void ctx.res.end();
  const e = toHttpError(error);
  ctx.res.statusCode = e.status; // for the request log; the client already has 200
  sse(ctx.res, openAiErrorBody(e));
  ctx.res.end();
}

const created = () => Math.floor(Date.now() / 1000);

async function chatCompletions(ctx: RequestContext, deps: ApiDeps): Promise<void> {
  const { request, stream, includeUsage } = parseChatBody(await ctx.json());
  const id = `chatcmpl-${randomUUID().replace(/-/g, "")}`;
  const base = { id, created: created(), model: request.model, system_fingerprint: "hangar" };
  if (!stream) {
    const result = await collect(checkedChat(deps.engine, request, ctx.signal));
    recordStats(ctx.stats, request.model, result.done);
    const message: Record<string, unknown> = { role: "assistant", content: result.text, refusal: null };
    // llama-server's field for a thinking model's reasoning.
    if (result.thinking) message.reasoning_content = result.thinking;
    if (result.toolCalls.length) {
      message.tool_calls = toolCallsBody(result.toolCalls);
      if (!result.text) message.content = null;
    }
    return sendJson(ctx.res, 200, {
      ...base,
      object: "chat.completion",
      choices: [
        {
          index: 0,
          message,
          logprobs: openAiChatLogprobs(request.logprobs, result.logprobs),
          finish_reason: finishReason(result.done),
        },
      ],
      usage: usageBody(result.done.usage),
    });
  }
  const it = await startGeneration(checkedChat(deps.engine, request, ctx.signal));
  startSse(ctx.res);
  const chunk = (delta: Record<string, unknown>, finish: string | null, logprobs: TokenLogprob[] = []) => ({
    ...base,
    object: "chat.completion.chunk",
    choices: [
      {
        index: 0,
        delta,
        logprobs: logprobs.length ? openAiChatLogprobs(request.logprobs, logprobs) : null,
        finish_reason: finish,
      },
    ],
    ...(includeUsage ? { usage: null } : {}),
  });
  sse(ctx.res, chunk({ role: "assistant", content: "" }, null));
  let toolIndex = 0;
  try {
    for await (const event of replay(it)) {
      if (event.type === "delta") sse(ctx.res, chunk({ content: event.text }, null, event.logprobs));
      else if (event.type === "thinking") sse(ctx.res, chunk({ reasoning_content: event.text }, null));
      else if (event.type === "tool_calls")
        sse(
          ctx.res,
          chunk({ tool_calls: toolCallsBody(event.calls).map((c) => ({ index: toolIndex++, ...c })) }, null),
        );
      else if (event.type === "done") {
        recordStats(ctx.stats, request.model, event);
        sse(ctx.res, chunk({}, finishReason(event)));
        if (includeUsage)
          sse(ctx.res, {
            ...base,
            object: "chat.completion.chunk",
            choices: [],
            usage: usageBody(event.usage),
          });
      }
    }
  } catch (error) {
    return sseFail(ctx, error);
  }
  ctx.res.end("data: [DONE]\n\n");
}

async function completions(ctx: RequestContext, deps: ApiDeps): Promise<void> {
  const { requests, stream, includeUsage, echo } = parseCompletionBody(await ctx.json());
  const model = requests[0]!.model;
  const id = `cmpl-${randomUUID().replace(/-/g, "")}`;
  const base = { id, object: "text_completion", created: created(), model, system_fingerprint: "hangar" };
  if (!stream) {
    // Prompts of one request run side by side: the engine queues what does not fit its parallel slots.
    const results = await Promise.all(requests.map((r) => collect(deps.engine.complete(r, ctx.signal))));
    const usage = { promptTokens: 0, completionTokens: 0 };
    for (const r of results) {
      usage.promptTokens += r.done.usage.promptTokens;
      usage.completionTokens += r.done.usage.completionTokens;
    }
    recordStats(ctx.stats, model, { ...results[0]!.done, usage });
    return sendJson(ctx.res, 200, {
      ...base,
      choices: results.map((r, index) => ({
        text: (echo ? requests[index]!.prompt : "") + r.text,
        index,
        logprobs: openAiCompletionLogprobs(requests[index]!.logprobs, r.logprobs),
        finish_reason: finishReason(r.done),
      })),
      usage: usageBody(usage),
    });
  }
  const chunk = (index: number, text: string, finish: string | null, logprobs: ChunkLogprobs = null) => ({
    ...base,
    choices: [{ text, index, logprobs, finish_reason: finish }],
    ...(includeUsage ? { usage: null } : {}),
  });
  const usage = { promptTokens: 0, completionTokens: 0 };
  // Streams of several prompts follow one another, each choice's chunks carrying its index.
  for (const [index, request] of requests.entries()) {
    const it = await startGeneration(deps.engine.complete(request, ctx.signal)).catch((error: unknown) => {
      if (!ctx.res.headersSent) throw error;
      sseFail(ctx, error);
      return null;
    });
    if (!it) return;
    if (!ctx.res.headersSent) startSse(ctx.res);
    if (echo) sse(ctx.res, chunk(index, request.prompt, null));
    // Where each chunk's first token starts in the choice's text.
    let offset = 0;
    try {
      for await (const event of replay(it)) {
        if (event.type === "delta") {
          const logprobs = openAiCompletionLogprobs(request.logprobs, event.logprobs ?? [], offset);
          sse(ctx.res, chunk(index, event.text, null, logprobs));
          offset += event.text.length;
        } else if (event.type === "done") {
          usage.promptTokens += event.usage.promptTokens;
          usage.completionTokens += event.usage.completionTokens;
          recordStats(ctx.stats, model, { ...event, usage });
          sse(ctx.res, chunk(index, "", finishReason(event)));
        }
      }
    } catch (error) {
      return sseFail(ctx, error);
    }
  }
  if (includeUsage) sse(ctx.res, { ...base, choices: [], usage: usageBody(usage) });
  ctx.res.end("data: [DONE]\n\n");
}

async function embeddings(ctx: RequestContext, deps: ApiDeps): Promise<void> {
  const body = parseEmbeddingBody(await ctx.json());
  const { embeddings: vectors, usage } = await deps.engine.embed(
    { model: body.model, input: body.input },
    ctx.signal,
  );
  ctx.stats.model = body.model;
  ctx.stats.promptTokens = usage.promptTokens;
  const shaped = body.dimensions ? vectors.map((x) => x.slice(0, body.dimensions)) : vectors;
  sendJson(ctx.res, 200, {
    object: "list",
    data: shaped.map((vector, index) => ({
      object: "embedding",
      index,
      embedding: body.base64 ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector,
    })),
    model: body.model,
    usage: { prompt_tokens: usage.promptTokens, total_tokens: usage.promptTokens },
  });
}

function modelBody(m: { ref: string; createdAt: string; source: string }) {
  const time = Date.parse(m.createdAt);
  return {
    id: m.ref,
    object: "model",
    created: Number.isFinite(time) ? Math.floor(time / 1000) : 0,
    owned_by: m.source,
  };
}

export function addOpenAiRoutes(router: Router, deps: ApiDeps): void {
  // Listing and using models: any allowed origin may, "*" included.
  const inference = { management: false };
  router
    .add(
      "GET",
      "/v1/models",
      async (ctx) => {
        sendJson(ctx.res, 200, { object: "list", data: (await deps.library.list()).map(modelBody) });
      },
      inference,
    )
    .add(
      "GET",
      "/v1/models/*",
      async (ctx) => {
        const ref = ctx.params["*"]!;
        const model =
          (await deps.library.list()).find((m) => m.ref === ref) ?? (await deps.library.resolve(ref));
        sendJson(ctx.res, 200, modelBody(model));
      },
      inference,
    )
    .add("POST", "/v1/chat/completions", (ctx) => chatCompletions(ctx, deps), inference)
    .add("POST", "/v1/completions", (ctx) => completions(ctx, deps), inference)
    .add("POST", "/v1/embeddings", (ctx) => embeddings(ctx, deps), inference);
}
