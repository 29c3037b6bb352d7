// Cold start: a worker forked ahead of need, the backend detected once per runner, load progress.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Scheduler } from "./scheduler.ts";
import { generateModels, MemoryLogger, type GeneratedModels } from "../../../testkit/generated-models.ts";
import type { GenerationEvent } from "./types.ts";

let models: GeneratedModels;
let engine: Scheduler;
const logger = new MemoryLogger();

before(async () => {
  models = await generateModels({ "tiny:a": { seed: 1 }, "tiny:b": { seed: 2 } });
  engine = new Scheduler({
    resolveModel: models.resolveModel,
    logger,
    // "auto": the first worker detects the backend; later ones are told it.
    // debug: the worker says how it got its chat wrapper.
    settings: {
      threads: 1,
      gpu: "auto",
      contextSize: 256,
      parallel: 1,
      keepAliveSeconds: 0,
      logLevel: "debug",
    },
  });
});

after(async () => {
  await engine.close();
  await models.cleanup();
});

async function run(model: string): Promise<GenerationEvent[]> {
  const seen: GenerationEvent[] = [];
  for await (const event of engine.complete({ model, prompt: "the", maxTokens: 2, temperature: 0 }))
    seen.push(event);
  return seen;
}

test("a cold request hears the load's progress, ending at 100%, before its first token", async () => {
  const seen = await run("tiny:a");
  const loading = seen.filter((e) => e.type === "loading");
  assert.equal(seen[0]?.type, "loading");
  const progress = loading.map((e) => e.progress).filter((p) => p !== undefined);
  assert.ok(progress.length > 0, "progress events arrive");
  assert.deepEqual(
    [...progress].sort((a, b) => a - b),
    progress,
    "progress only grows",
  );
  assert.equal(progress.at(-1), 1, "the load ends at 100%");
  const firstDelta = seen.findIndex((e) => e.type === "delta");
  assert.ok(firstDelta > seen.lastIndexOf(loading.at(-1)!), "progress comes before the first token");
});

test("the backend is detected once per runner; later workers start on it", async () => {
  // keepAliveSeconds 0: each request unloads its model, so every request below starts a new worker.
  await run("tiny:b");
  await run("tiny:a");
  const detected = logger.entries.filter((e) => e.message.startsWith("backend detected"));
  assert.equal(detected.length, 1, detected.map((e) => e.message).join("; "));
  const loaded = logger.entries.filter((e) => e.message.startsWith("loaded "));
  assert.equal(loaded.length, 3);
  for (const entry of loaded) assert.match(entry.message, / on cpu, 1 threads$/);
});

test("a model loaded again builds its chat wrapper as the first load chose, without resolving it", async () => {
  for (let i = 0; i < 2; i++) {
    await engine.unload("tiny:a");
    await run("tiny:a");
  }
  const lines = logger.entries.map((e) => e.message).filter((m) => m.startsWith("chat wrapper "));
  const resolved = lines.filter((m) =>
    /^chat wrapper ChatML: resolved from the model's template in \d+ ms$/.test(m),
  );
  const rebuilt = lines.filter((m) =>
    /^chat wrapper ChatML: built as the last load of this file chose in \d+ ms$/.test(m),
  );
  // tiny:a and tiny:b are resolved once each; every later load of either is built from the choice.
  assert.equal(resolved.length, 2, lines.join("\n"));
  assert.equal(rebuilt.length, lines.length - 2, lines.join("\n"));
  assert.ok(rebuilt.length >= 2, lines.join("\n"));
});
