// Model lifecycle in the Engine: worker crashes, keep-alive expiry, and eviction under a memory budget.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { estimateFootprint } from "./engine-settings.ts";
import { Scheduler } from "./scheduler.ts";
import { generateModels, MemoryLogger, type GeneratedModels } from "../../../testkit/generated-models.ts";
import { EngineError, type ChatRequest, type GenerationEvent } from "./types.ts";

const settings = { threads: 2, gpu: false, contextSize: 512, parallel: 2 } as const;

function chat(model: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model, messages: [{ role: "user", content: "hello" }], temperature: 0, maxTokens: 4, ...extra };
}

async function drain(events: AsyncIterable<GenerationEvent>): Promise<GenerationEvent[]> {
  const seen: GenerationEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("Scheduler lifecycle", () => {
  let models: GeneratedModels;
  before(async () => {
    models = await generateModels({ "tiny:a": { seed: 1 }, "tiny:b": { seed: 3 } });
  });
  after(async () => {
    await models.cleanup();
  });

  test("a worker killed mid-stream fails that request with worker_crashed; the next request works", async () => {
    const logger = new MemoryLogger();
    const engine = new Scheduler({ resolveModel: models.resolveModel, logger, settings });
    try {
      let killed: number | undefined;
      await assert.rejects(
        (async () => {
          for await (const event of engine.chat(chat("tiny:a", { maxTokens: 400 }))) {
            if (event.type === "delta" && killed === undefined) {
              killed = engine.loaded()[0]?.pid;
              assert.ok(killed, "the loaded model reports its worker's pid");
              process.kill(killed, "SIGKILL");
            }
          }
        })(),
        (error: unknown) =>
          error instanceof EngineError && error.code === "worker_crashed" && /SIGKILL/.test(error.message),
      );
      await waitFor(() => engine.loaded().length === 0);
      assert.ok(
        logger.entries.some((e) => e.level === "error" && e.model === "tiny:a" && /SIGKILL/.test(e.message)),
        "the crash is logged",
      );
      const next = await drain(engine.chat(chat("tiny:a")));
      assert.equal(next[0]?.type, "loading", "a fresh worker loads the model");
      assert.equal(next.at(-1)?.type, "done");
      assert.notEqual(engine.loaded()[0]?.pid, killed);
    } finally {
      await engine.close();
    }
  });

  test("keep-alive: a model unloads when it expires; 0 unloads right after the request", async () => {
    const engine = new Scheduler({
      resolveModel: models.resolveModel,
      logger: new MemoryLogger(),
      settings: { ...settings, keepAliveSeconds: 1 },
    });
    try {
      await drain(engine.chat(chat("tiny:a")));
      const info = engine.loaded()[0];
      assert.ok(info?.expiresAt, "an idle model has an expiry time");
      await waitFor(() => engine.loaded().length === 0, 10_000);

      await drain(engine.chat(chat("tiny:a", { keepAliveSeconds: -1 })));
      assert.equal(engine.loaded()[0]?.expiresAt, null, "negative keep-alive keeps the model");
      await drain(engine.chat(chat("tiny:a", { keepAliveSeconds: 0 })));
      await waitFor(() => engine.loaded().length === 0, 10_000);
    } finally {
      await engine.close();
    }
  });

  test("under a tight memory budget the idle least recently used model is evicted, a busy one never", async () => {
    const a = await estimateFootprint(await models.resolveModel("tiny:a"), 512, 2);
    const logger = new MemoryLogger();
    const engine = new Scheduler({
      resolveModel: models.resolveModel,
      logger,
      // Room for one of the two models, not both.
      settings: { ...settings, memoryBudgetBytes: Math.floor(a.memoryBytes * 1.5) },
    });
    try {
      await engine.load("tiny:a");
      assert.deepEqual(
        engine.loaded().map((m) => m.ref),
        ["tiny:a"],
      );
      await drain(engine.chat(chat("tiny:b")));
      assert.deepEqual(
        engine.loaded().map((m) => m.ref),
        ["tiny:b"],
        "idle tiny:a made room for tiny:b",
      );
      assert.ok(logger.entries.some((e) => /evicted to make room for tiny:b/.test(e.message)));

      // tiny:b is generating: loading tiny:a must neither interrupt it nor succeed.
      const controller = new AbortController();
      const busy = drain(engine.chat(chat("tiny:b", { maxTokens: 400 }), controller.signal));
      await waitFor(() => engine.loaded()[0]?.activeSequences === 1);
      await assert.rejects(
        engine.load("tiny:a"),
        (error: unknown) => error instanceof EngineError && error.code === "overloaded",
      );
      controller.abort();
      const events = await busy;
      const done = events.at(-1);
      assert.ok(
        done?.type === "done" && done.finishReason === "cancelled",
        "the busy stream ran until cancelled",
      );
      assert.deepEqual(
        engine.loaded().map((m) => m.ref),
        ["tiny:b"],
      );
    } finally {
      await engine.close();
    }
  });

  test("a model larger than the whole budget fails to load with a clear message", async () => {
    const engine = new Scheduler({
      resolveModel: models.resolveModel,
      logger: new MemoryLogger(),
      settings: { ...settings, memoryBudgetBytes: 1024 * 1024 },
    });
    try {
      await assert.rejects(
        engine.load("tiny:a"),
        (error: unknown) =>
          error instanceof EngineError && error.code === "load_failed" && /memory budget/.test(error.message),
      );
    } finally {
      await engine.close();
    }
  });
});
