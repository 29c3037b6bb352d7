// Where a loaded model's weights live: mapped at load, moved into the worker's memory once idle
// (useMmap "auto", the default), or kept as the setting says.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { Scheduler } from "./scheduler.ts";
import { generateModels, MemoryLogger, type GeneratedModels } from "../../../testkit/generated-models.ts";
import type { EngineSettings } from "./engine-settings.ts";

let models: GeneratedModels;
const engines: Scheduler[] = [];

before(async () => {
  models = await generateModels({ "tiny:w": { seed: 5 } });
});

after(async () => {
  await Promise.all(engines.map((engine) => engine.close()));
  await models.cleanup();
});

function engineWith(settings: EngineSettings): { engine: Scheduler; logger: MemoryLogger } {
  const logger = new MemoryLogger();
  const engine = new Scheduler({
    resolveModel: models.resolveModel,
    logger,
    prefork: false,
    settings: { threads: 1, contextSize: 256, parallel: 2, keepAliveSeconds: -1, ...settings },
  });
  engines.push(engine);
  return { engine, logger };
}

async function greedy(engine: Scheduler): Promise<string> {
  let text = "";
  for await (const event of engine.complete({
    model: "tiny:w",
    prompt: "the model",
    maxTokens: 12,
    temperature: 0,
  }))
    if (event.type === "delta") text += event.text;
  return text;
}

const weights = (engine: Scheduler) => engine.loaded()[0]?.weights;

async function until(check: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > 30_000) assert.fail(`timed out waiting until ${what}`);
    await sleep(20);
  }
}

test("by default the weights are mapped at load and read into memory once the model is idle", async () => {
  const { engine, logger } = engineWith({ settleAfterIdleMs: 50 });
  const before = await greedy(engine);
  assert.ok(before.length > 0);
  assert.equal(weights(engine), "mapped", "the first request runs on the mapped file");
  await until(() => weights(engine) === "memory", "the weights are in memory");
  assert.ok(
    logger.entries.some((e) =>
      /tiny:w now reads its weights from memory \(read in \d+ ms while idle\)/.test(e.message),
    ),
    "the move is logged",
  );
  assert.equal(
    logger.entries.filter((e) => e.message.includes("load_tensors: loading model tensors")).length,
    1,
    "llama.cpp's lines of the second load are not logged again",
  );
  assert.equal(await greedy(engine), before, "the same model answers the same after the move");
  const twoAtOnce = await Promise.all([greedy(engine), greedy(engine)]);
  assert.deepEqual(twoAtOnce, [before, before], "parallel sequences work on the new context");
});

test("requests that keep the model busy keep it mapped; the move happens once they stop", async () => {
  const { engine } = engineWith({ settleAfterIdleMs: 1000 });
  const first = await greedy(engine);
  // Requests closer together than the idle wait: the move never starts between them.
  for (let i = 0; i < 4; i++) {
    assert.equal(await greedy(engine), first);
    assert.equal(weights(engine), "mapped");
  }
  await until(() => weights(engine) === "memory", "the weights are in memory");
  assert.equal(await greedy(engine), first);
});

test("useMmap true keeps the weights mapped; false reads them into memory at load", async () => {
  const mapped = engineWith({ useMmap: true, settleAfterIdleMs: 0 }).engine;
  const memory = engineWith({ useMmap: false }).engine;
  const a = await greedy(mapped);
  assert.equal(await greedy(memory), a);
  assert.equal(weights(memory), "memory");
  // The move would have started at once (an idle wait of 0) and taken well under a second.
  await sleep(1000);
  assert.equal(weights(mapped), "mapped");
});
