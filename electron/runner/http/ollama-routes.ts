/** The Ollama-compatible API under /api, shaped like Ollama's so its clients work unchanged. */
import type { ServerResponse } from "node:http";
import { VERSION } from "../version.ts";
import type { Engine, LoadedModelInfo, ToolCall } from "../engine/types.ts";
import type { InstalledModel, ModelLibrary, PullProgress } from "../models.ts";
import { toHttpError } from "./errors.ts";
import { collect, recordStats, replay, startGeneration, type DoneEvent } from "./generation-stream.ts";
import { parseModelName, parseOllamaChat, parseOllamaEmbed, parseOllamaGenerate } from "./ollama-requests.ts";
import { sendJson, type RequestContext, type Router } from "./router.ts";
import { v } from "../../contract/validate.ts";

export interface OllamaDeps {
  engine: Engine;
  library: ModelLibrary;
}

const NS = 1e6; // nanoseconds per millisecond
const opts = { errors: "ollama" as const };
const manage = { errors: "ollama" as const, management: true };

const digestHex = (digest: string) => digest.replace(/^sha256:/, "");

function details(m: Pick<InstalledModel, "architecture" | "parameters" | "quantization">) {
  const family = m.architecture ?? "";
  return {
    parent_model: "",
    format: "gguf",
    family,
    families: family ? [family] : null,
    parameter_size: m.parameters ?? "",
    quantization_level: m.quantization ?? "",
  };
}

function startNdjson(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "application/x-ndjson", "cache-control": "no-cache" });
  res.flushHeaders();
}
const line = (res: ServerResponse, data: unknown) => res.write(JSON.stringify(data) + "\n");

function failStream(ctx: RequestContext, error: unknown): void {
  if (!ctx.signal.aborted) {
    const e = toHttpError(error);
    ctx.res.statusCode = e.status;
    line(ctx.res, { error: e.message });
  }
  ctx.res.end();
}

function timings(done: DoneEvent, started: number) {
  const evalMs = done.tokensPerSecond > 0 ? (done.usage.completionTokens / done.tokensPerSecond) * 1000 : 0;
  return {
    done_reason:
      done.finishReason === "cancelled"
        ? "stop"
        : done.finishReason === "tool_calls"
          ? "stop"
          : done.finishReason,
    total_duration: Math.round((performance.now() - started) * NS),
    load_duration: 0,
    prompt_eval_count: done.usage.promptTokens,
    prompt_eval_duration: Math.round(done.timeToFirstTokenMs * NS),
    eval_count: done.usage.completionTokens,
    eval_duration: Math.round(evalMs * NS),
  };
}

const ollamaToolCalls = (calls: ToolCall[]) =>
  calls.map((c) => {
    let args: unknown;
    try {
      args = JSON.parse(c.arguments);
    } catch {
      args = c.arguments;
    }
    return { function: { name: c.name, arguments: args } };
  });

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

async function chat(ctx: RequestContext, deps: OllamaDeps, kind: "chat" | "generate"): Promise<void> {
  const started = performance.now();
  const body = await ctx.json();
  const generate = kind === "generate" ? parseOllamaGenerate(body) : null;
  const parsed = generate ?? parseOllamaChat(body);
  const { request, stream } = parsed;
  if (parsed.loadOnly) return loadOnly(ctx, deps, request.model, request.keepAliveSeconds, kind === "chat");
  const events = generate?.raw
    ? deps.engine.complete({ ...request, prompt: generate.prompt }, ctx.signal)
    : deps.engine.chat(request, ctx.signal);
  const piece = (text: string, calls?: ToolCall[]) =>
    kind === "chat"
      ? {
          message: {
            role: "assistant",
            content: text,
            ...(calls?.length ? { tool_calls: ollamaToolCalls(calls) } : {}),
          },
        }
      : { response: text };
  const head = () => ({ model: request.model, created_at: new Date().toISOString() });
  if (!stream) {
    const result = await collect(events);
    recordStats(ctx.stats, request.model, result.done);
    return sendJson(ctx.res, 200, {
      ...head(),
      ...piece(result.text, result.toolCalls),
      done: true,
      ...timings(result.done, started),
      ...(kind === "generate" ? { context: [] } : {}),
    });
  }
  const it = await startGeneration(events);
  startNdjson(ctx.res);
  try {
    for await (const event of replay(it)) {
      if (event.type === "delta") line(ctx.res, { ...head(), ...piece(event.text), done: false });
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
    total_duration: Math.round((performance.now() - started) * NS),
    load_duration: 0,
    prompt_eval_count: usage.promptTokens,
  });
}

function pullStatus(p: PullProgress): Record<string, unknown> {
  switch (p.phase) {
    case "resolving":
      return { status: "pulling manifest" };
    case "downloading":
      return { status: `pulling ${p.ref}`, digest: p.ref, total: p.totalBytes, completed: p.completedBytes };
    case "verifying":
      return { status: "verifying sha256 digest" };
    case "done":
      return { status: "writing manifest" };
    case "error":
      return { error: p.message ?? "pull failed" };
    default:
      return p.phase satisfies never;
  }
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
  let lastWrite = 0;
  try {
    await deps.library.pull(name, {
      signal: ctx.signal,
      onProgress: (p) => {
        // Progress can arrive per chunk; a few lines a second are enough for any client.
        const now = performance.now();
        if (
          p.phase === lastPhase &&
          p.phase === "downloading" &&
          now - lastWrite < 100 &&
          p.completedBytes < p.totalBytes
        )
          return;
        lastPhase = p.phase;
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

function psEntry(m: LoadedModelInfo, installed: InstalledModel | undefined) {
  return {
    name: m.ref,
    model: m.ref,
    size: m.memoryBytes,
    digest: installed ? digestHex(installed.digest) : "",
    details: installed
      ? details(installed)
      : details({ architecture: null, parameters: null, quantization: null }),
    // Ollama shows "forever" as a far-future date.
    expires_at: new Date(m.expiresAt ?? Date.UTC(2318, 0, 1)).toISOString(),
    size_vram: m.backend === "cpu" ? 0 : m.memoryBytes,
    context_length: m.contextSize,
  };
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
        sendJson(ctx.res, 200, {
          models: models.map((m) => ({
            name: m.ref,
            model: m.ref,
            modified_at: m.createdAt,
            size: m.size,
            digest: digestHex(m.digest),
            details: details(m),
          })),
        });
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
        const info: Record<string, unknown> = { "general.architecture": m.architecture ?? "" };
        if (m.architecture && m.contextLength) info[`${m.architecture}.context_length`] = m.contextLength;
        sendJson(ctx.res, 200, {
          license: m.license ?? "",
          modelfile: `# Modelfile generated by Hangar\nFROM ${m.ref}\n`,
          parameters: Object.entries(m.params ?? {})
            .map(([k, x]) => `${k} ${typeof x === "string" ? x : JSON.stringify(x)}`)
            .join("\n"),
          template: m.chatTemplate ?? "",
          system: m.systemPrompt ?? "",
          details: details(m),
          model_info: info,
          capabilities: ["completion", "tools", "embedding"],
          modified_at: m.createdAt,
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
