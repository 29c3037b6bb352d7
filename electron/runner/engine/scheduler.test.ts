// Generation through the Engine: a real inference worker running node-llama-cpp on a generated model.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Scheduler } from "./scheduler.ts";
import { generateModels, MemoryLogger, type GeneratedModels } from "../../../testkit/generated-models.ts";
import { EngineError, type ChatRequest, type GenerationEvent } from "./types.ts";

type Done = Extract<GenerationEvent, { type: "done" }>;

async function collect(events: AsyncIterable<GenerationEvent>) {
  const seen: GenerationEvent[] = [];
  for await (const event of events) seen.push(event);
  const deltas = seen.filter((e): e is Extract<GenerationEvent, { type: "delta" }> => e.type === "delta");
  const done = seen.find((e): e is Done => e.type === "done");
  assert.ok(done, "the stream ends with a done event");
  assert.equal(seen.at(-1), done, "done is the last event");
  return { seen, deltas, text: deltas.map((d) => d.text).join(""), done };
}

describe("Scheduler generation", () => {
  let models: GeneratedModels;
  let engine: Scheduler;
  const logger = new MemoryLogger();
  const chat = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
    model: "tiny:a",
    messages: [{ role: "user", content: "hello" }],
    temperature: 0,
    maxTokens: 12,
    ...extra,
  });

  before(async () => {
    // seed 2 answers "{}" under the JSON grammar, so json_object output completes within a few tokens.
    models = await generateModels({ "tiny:a": { seed: 2 } });
    engine = new Scheduler({
      resolveModel: models.resolveModel,
      logger,
      settings: { threads: 2, gpu: false, contextSize: 512, parallel: 2, maxQueue: 1 },
    });
  });

  after(async () => {
    await engine.close();
    await models.cleanup();
  });

  test("streams a chat as deltas after a loading event, and is deterministic at temperature 0", async () => {
    const first = await collect(engine.chat(chat()));
    assert.equal(first.seen[0]?.type, "loading", "the first request has to load the model");
    assert.ok(first.deltas.length > 1, "several deltas");
    assert.ok(first.done.usage.promptTokens > 0);
    assert.ok(first.done.usage.completionTokens > 0);
    const second = await collect(engine.chat(chat()));
    assert.ok(!second.seen.some((e) => e.type === "loading"), "a loaded model does not load again");
    assert.equal(second.text, first.text);
    const info = engine.loaded();
    assert.equal(info.length, 1);
    assert.equal(info[0]?.ref, "tiny:a");
    assert.equal(info[0]?.backend, "cpu");
    assert.equal(info[0]?.contextSize, 512);
    assert.equal(info[0]?.activeSequences, 0);
  });

  test("a seed makes sampling at a temperature repeatable", async () => {
    const a = await collect(engine.chat(chat({ temperature: 0.9, seed: 42 })));
    const b = await collect(engine.chat(chat({ temperature: 0.9, seed: 42 })));
    assert.equal(a.text, b.text);
  });

  test("maxTokens ends with finishReason length", async () => {
    const { done } = await collect(engine.chat(chat({ maxTokens: 3 })));
    assert.equal(done.finishReason, "length");
    assert.ok(done.usage.completionTokens <= 3);
  });

  test("a stop string ends generation before it", async () => {
    const full = await collect(engine.chat(chat({ maxTokens: 12 })));
    const stop = full.deltas[2]?.text;
    assert.ok(stop, "the unconstrained output has at least three deltas");
    const index = full.text.indexOf(stop);
    const stopped = await collect(engine.chat(chat({ maxTokens: 12, stop: [stop] })));
    assert.equal(stopped.done.finishReason, "stop");
    assert.equal(stopped.text, full.text.slice(0, index));
  });

  test("json_object output parses as JSON", async () => {
    const { text, done } = await collect(
      engine.chat(chat({ maxTokens: 40, responseFormat: { type: "json_object" } })),
    );
    assert.equal(done.finishReason, "stop");
    assert.equal(typeof JSON.parse(text), "object");
  });

  test("json_schema output follows the schema", async () => {
    const schema = { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] };
    const { text } = await collect(
      engine.chat(chat({ maxTokens: 40, responseFormat: { type: "json_schema", schema } })),
    );
    assert.equal(typeof JSON.parse(text).ok, "boolean");
  });

  test("raw completion streams text", async () => {
    const { deltas, done } = await collect(
      engine.complete({ model: "tiny:a", prompt: "the model", maxTokens: 4 }),
    );
    assert.ok(deltas.length > 0);
    assert.equal(done.finishReason, "length");
  });

  test("two streams run on one model at once", async () => {
    let peak = 0;
    const off = engine.onChange(() => {
      peak = Math.max(peak, engine.loaded()[0]?.activeSequences ?? 0);
    });
    const [a, b] = await Promise.all([
      collect(engine.chat(chat({ maxTokens: 8 }))),
      collect(engine.chat(chat({ maxTokens: 8, messages: [{ role: "user", content: "the world" }] }))),
    ]);
    off();
    assert.equal(peak, 2);
    assert.ok(a.deltas.length > 0 && b.deltas.length > 0);
  });

  test("a cancelled stream frees its sequence, and a full queue refuses with overloaded", async () => {
    const controller = new AbortController();
    const cancelled: GenerationEvent[] = [];
    for await (const event of engine.chat(chat({ maxTokens: 400 }), controller.signal)) {
      cancelled.push(event);
      if (event.type === "delta") controller.abort();
    }
    assert.equal(cancelled.at(-1)?.type, "done");
    assert.equal((cancelled.at(-1) as Done).finishReason, "cancelled");

    // Consumers that leave early (a client disconnecting) free their sequences before the next requests run.
    await Promise.all(
      [1, 2].map(async () => {
        for await (const event of engine.chat(chat({ maxTokens: 400 }))) if (event.type === "delta") break;
      }),
    );
    const next = await Promise.all([1, 2].map(() => collect(engine.chat(chat({ maxTokens: 4 })))));
    assert.ok(next.every((r) => r.done.finishReason === "length"));

    // Both sequences busy and one request queued: the next one is refused. Had the cancelled request
    // kept its sequence, the worker would have no sequence left for the second of these.
    const busy = new AbortController();
    const running = [1, 2, 3].map(() => collect(engine.chat(chat({ maxTokens: 400 }), busy.signal)));
    await waitFor(() => engine.loaded()[0]?.queued === 1);
    await assert.rejects(
      collect(engine.chat(chat())),
      (error: unknown) =>
        error instanceof EngineError && error.code === "overloaded" && (error.retryAfterSeconds ?? 0) >= 1,
    );
    busy.abort();
    const results = await Promise.allSettled(running);
    const finished = results.filter((r) => r.status === "fulfilled");
    assert.ok(finished.length >= 2, "the running streams end as cancelled");
    const after = await Promise.all([1, 2].map(() => collect(engine.chat(chat({ maxTokens: 4 })))));
    assert.ok(after.every((r) => r.done.finishReason === "length"));
  });

  test("embeddings are vectors of the model's embedding length", async () => {
    const { embeddings, usage } = await engine.embed({
      model: "tiny:a",
      input: ["hello world", "the model"],
    });
    assert.equal(embeddings.length, 2);
    assert.ok(embeddings.every((e) => e.length === 64));
    assert.ok(usage.promptTokens > 0);
  });

  test("bad requests are refused clearly", async () => {
    await assert.rejects(
      collect(engine.chat({ model: "missing:x", messages: [{ role: "user", content: "hi" }] })),
      (error: unknown) => error instanceof EngineError && error.code === "not_found",
    );
    await assert.rejects(
      collect(engine.chat(chat({ messages: [{ role: "tool", content: "42", toolCallId: "nope" }] }))),
      (error: unknown) => error instanceof EngineError && error.code === "invalid_request",
    );
    await assert.rejects(
      collect(engine.chat(chat({ topP: 2 }))),
      (error: unknown) =>
        error instanceof EngineError && error.code === "invalid_request" && /topP/.test(error.message),
    );
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
