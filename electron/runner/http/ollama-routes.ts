/**
 * The Ollama-compatible API under /api: what each route reads, which engine or library call it makes,
 * and how it streams (NDJSON). The bodies it sends are shaped in ollama-responses.ts.
 */
import type { ServerResponse } from "node:http";
import { VERSION } from "../version.ts";
import { EngineError, THINKING_UNSUPPORTED, type Engine, type TokenLogprob } from "../engine/types.ts";
import { ollamaLogprobs } from "./logprobs.ts";
import type { ModelLibrary } from "../models.ts";
import { HttpError, toHttpError } from "./errors.ts";
import { collect, recordStats, replay, startGeneration } from "./generation-stream.ts";
import {
  nanoseconds,
  psEntry,
  pullStatus,
  replyPiece,
  showBody,
  tagEntry,
  timings,
} from "./ollama-responses.ts";
import { parseModelName, parseOllamaChat, parseOllamaEmbed, parseOllamaGenerate } from "./ollama-requests.ts";
import { sendJson, type RequestContext, type Router } from "./router.ts";
import { writeOrDrop } from "./stream-write.ts";
import { checkedChat } from "./schema/checked-chat.ts";
import { ggufShowFacts } from "./ollama-show.ts";
import { v } from "../../contract/validate.ts";

export interface OllamaDeps {
  engine: Engine;
  library: ModelLibrary;
}

const opts = { errors: "ollama" as const, management: false };
const manage = { errors: "ollama" as const, management: true };

function startNdjson(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "application/x-ndjson", "cache-control": "no-cache" });
  res.flushHeaders();
}
const line = (res: ServerResponse, data: unknown) => writeOrDrop(res, JSON.stringify(data) + "\n");

function failStream(ctx: RequestContext, error: unknown): void {
  if (!ctx.signal.aborted) {
    const e = toHttpError(error);
    ctx.res.statusCode = e.status;
    line(ctx.res, { error: e.message });
  }
  ctx.res.end();
}

/** `think: true` on a model that cannot think: Ollama's 400 and its words. */
function ollamaError(error: unknown, model: string): unknown {
  return error instanceof EngineError &&
    error.code === "invalid_request" &&
    error.message === THINKING_UNSUPPORTED
    ? new HttpError(400, `"${model}" does not support thinking`)
    : error;
}

/** Ollama: a chat or generate request without messages/prompt loads the model (keep_alive 0: unloads it). */
async function loadOnly(
  ctx: RequestContext,
  deps: OllamaDeps,
  model: string,
  keepAliveSeconds: number | undefined,
  chat: boolean,
) {
  await deps.library.resolve(model);
  const unload = keepAliveSeconds === 0;
  if (unload) await deps.engine.unload(model);
  else await deps.engine.load(model, keepAliveSeconds !== undefined ? { keepAliveSeconds } : {});
  const reply = chat ? { message: { role: "assistant", content: "" } } : { response: "" };
  sendJson(ctx.res, 200, {
    model,
    created_at: new Date().toISOString(),
    ...reply,
    done_reason: unload ? "unload" : "load",
    done: true,
  });
}

/** The longest keep_alive an origin allowed only through "*" may ask for (Ollama's default is 5 minutes). */
const WILDCARD_MAX_KEEP_ALIVE_SECONDS = 3600;

/**
 * keep_alive 0 unloads the model (under other clients' streams) and a negative or very long one pins it:
 * management actions, which an origin allowed only through "*" may not take.
 */
function checkKeepAlive(ctx: RequestContext, seconds: number | undefined): void {
  if (ctx.mayManage || seconds === undefined) return;
  if (seconds > 0 && seconds <= WILDCARD_MAX_KEEP_ALIVE_SECONDS) return;
  throw new HttpError(
    403,
    `keep_alive ${seconds} s unloads or pins the model, which origins allowed only through "*" may not do ` +
      `(they may ask for 1 s to ${WILDCARD_MAX_KEEP_ALIVE_SECONDS} s); list the origin in "corsOrigins" explicitly.`,
    "forbidden",
    "origin_not_allowed",
  );
}

async function chat(ctx: RequestContext, deps: OllamaDeps, kind: "chat" | "generate"): Promise<void> {
  const started = performance.now();
  const body = await ctx.json();
  const generate = kind === "generate" ? parseOllamaGenerate(body) : null;
  const parsed = generate ?? parseOllamaChat(body);
  const { request, stream } = parsed;
  checkKeepAlive(ctx, request.keepAliveSeconds);
  if (parsed.loadOnly) return loadOnly(ctx, deps, request.model, request.keepAliveSeconds, kind === "chat");
  const events = generate?.raw
    ? deps.engine.complete({ ...request, prompt: generate.prompt }, ctx.signal)
    : checkedChat(deps.engine, request, ctx.signal);
  const piece = (text: string, calls?: Parameters<typeof replyPiece>[2], thinking?: string) =>
    replyPiece(kind, text, calls, thinking);
  const head = () => ({ model: request.model, created_at: new Date().toISOString() });
  const fail = (error: unknown) => {
    throw ollamaError(error, request.model);
  };
  const logprobsOf = (entries: TokenLogprob[]) =>
    request.logprobs === undefined ? {} : { logprobs: ollamaLogprobs(request.logprobs, entries) };
  if (!stream) {
    const result = await collect(events).catch(fail);
    recordStats(ctx.stats, request.model, result.done);
    return sendJson(ctx.res, 200, {
      ...head(),
      ...piece(result.text, result.toolCalls, result.thinking),
      ...logprobsOf(result.logprobs),
      done: true,
      ...timings(result.done, started),
      ...(kind === "generate" ? { context: [] } : {}),
    });
  }
  const it = await startGeneration(events).catch(fail);
  startNdjson(ctx.res);
  try {
    for await (const event of replay(it)) {
      if (event.type === "delta")
        line(ctx.res, { ...head(), ...piece(event.text), ...logprobsOf(event.logprobs ?? []), done: false });
      else if (event.type === "thinking")
        line(ctx.res, { ...head(), ...piece("", undefined, event.text), done: false });
      else if (event.type === "tool_calls")
        line(ctx.res, { ...head(), ...piece("", event.calls), done: false });
      else if (event.type === "done") {
        recordStats(ctx.stats, request.model, event);
        line(ctx.res, {
          ...head(),
          ...piece(""),
          done: true,
          ...timings(event, started),
          ...(kind === "generate" ? { context: [] } : {}),
        });
      }
    }
  } catch (error) {
    return failStream(ctx, error);
  }
  ctx.res.end();
}

async function embed(ctx: RequestContext, deps: OllamaDeps, legacy: boolean): Promise<void> {
  const started = performance.now();
  const body = parseOllamaEmbed(await ctx.json(), legacy);
  checkKeepAlive(ctx, body.keepAliveSeconds);
  const { embeddings, usage } = await deps.engine.embed(
    {
      model: body.model,
      input: body.input,
      ...(body.keepAliveSeconds !== undefined ? { keepAliveSeconds: body.keepAliveSeconds } : {}),
    },
    ctx.signal,
  );
  ctx.stats.model = body.model;
  ctx.stats.promptTokens = usage.promptTokens;
  if (legacy) return sendJson(ctx.res, 200, { embedding: embeddings[0] });
  sendJson(ctx.res, 200, {
    model: body.model,
    embeddings,
    total_duration: nanoseconds(performance.now() - started),
    load_duration: 0,
    prompt_eval_count: usage.promptTokens,
  });
}

async function pull(ctx: RequestContext, deps: OllamaDeps): Promise<void> {
  const body = await ctx.json();
  const name = parseModelName(body);
  const stream = (body as { stream?: unknown }).stream !== false;
  if (!stream) {
    await deps.library.pull(name, { signal: ctx.signal });
    return sendJson(ctx.res, 200, { status: "success" });
  }
  startNdjson(ctx.res);
  let lastPhase = "";
  let lastLayer = "";
  let lastWrite = 0;
  try {
    await deps.library.pull(name, {
      signal: ctx.signal,
      onProgress: (p) => {
        // Progress can arrive per chunk; a few lines a second are enough for any client.
        const now = performance.now();
        const layer = p.layer?.digest ?? "";
        if (
          p.phase === lastPhase &&
          p.phase === "downloading" &&
          layer === lastLayer &&
          now - lastWrite < 100 &&
          (p.layer ? p.layer.completedBytes < p.layer.totalBytes : p.completedBytes < p.totalBytes)
        )
          return;
        lastPhase = p.phase;
        lastLayer = layer;
        lastWrite = now;
        if (p.phase !== "error") line(ctx.res, pullStatus(p));
      },
    });
  } catch (error) {
    return failStream(ctx, error);
  }
  line(ctx.res, { status: "success" });
  ctx.res.end();
}

export function addOllamaRoutes(router: Router, deps: OllamaDeps): void {
  router
    .add("GET", "/api/version", async (ctx) => sendJson(ctx.res, 200, { version: VERSION }), {
      ...opts,
      public: true,
    })
    .add(
      "GET",
      "/api/tags",
      async (ctx) => {
        const models = await deps.library.list();
        sendJson(ctx.res, 200, { models: models.map(tagEntry) });
      },
      opts,
    )
    .add(
      "GET",
      "/api/ps",
      async (ctx) => {
        const installed = await deps.library.list();
        sendJson(ctx.res, 200, {
          models: deps.engine.loaded().map((m) =>
            psEntry(
              m,
              installed.find((i) => i.ref === m.ref),
            ),
          ),
        });
      },
      opts,
    )
    .add(
      "POST",
      "/api/show",
      async (ctx) => {
        const m = await deps.library.resolve(parseModelName(await ctx.json()));
        const gguf = await ggufShowFacts(m);
        const body = showBody(m);
        sendJson(ctx.res, 200, {
          ...body,
          template: gguf.template,
          model_info: gguf.modelInfo,
          // As Ollama lists it: from the chat template, without loading the model.
          capabilities: gguf.thinks ? [...body.capabilities, "thinking"] : body.capabilities,
        });
      },
      opts,
    )
    .add("POST", "/api/chat", (ctx) => chat(ctx, deps, "chat"), opts)
    .add("POST", "/api/generate", (ctx) => chat(ctx, deps, "generate"), opts)
    .add("POST", "/api/embed", (ctx) => embed(ctx, deps, false), opts)
    .add("POST", "/api/embeddings", (ctx) => embed(ctx, deps, true), opts)
    .add("POST", "/api/pull", (ctx) => pull(ctx, deps), manage)
    .add(
      "DELETE",
      "/api/delete",
      async (ctx) => {
        const name = parseModelName(await ctx.json());
        await deps.library.resolve(name);
        await deps.engine.unload(name).catch(() => undefined);
        await deps.library.remove(name);
        ctx.res.writeHead(200).end();
      },
      manage,
    )
    .add(
      "POST",
      "/api/copy",
      async (ctx) => {
        const b = v.object({ source: v.string({ min: 1 }), destination: v.string({ min: 1 }) })(
          await ctx.json(),
          "",
        );
        await deps.library.tag(b.source, b.destination);
        ctx.res.writeHead(200).end();
      },
      manage,
    );
}
