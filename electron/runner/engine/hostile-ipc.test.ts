// Operations the worker's IPC channel cannot carry are refused in the runner, before they are sent: the
// worker survives, the request gets a clear error, and its sequence is given back.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { parseToWorker, IPC_MAX_DEPTH } from "./protocol.ts";
import { Scheduler } from "./scheduler.ts";
import { generateModels, MemoryLogger, type GeneratedModels } from "../../../testkit/generated-models.ts";
import { EngineError, type ChatRequest, type GenerationEvent } from "./types.ts";

let models: GeneratedModels;
let engine: Scheduler;
before(async () => {
  models = await generateModels({ "tiny:a": { seed: 1 } });
  engine = new Scheduler({
    resolveModel: models.resolveModel,
    logger: new MemoryLogger(),
    settings: { threads: 2, gpu: false, contextSize: 512, parallel: 1 },
  });
});
after(async () => {
  await engine?.close();
  await models?.cleanup();
});

async function run(request: ChatRequest): Promise<GenerationEvent[]> {
  const events: GenerationEvent[] = [];
  for await (const event of engine.chat(request)) events.push(event);
  return events;
}

function nestedSchema(depth: number): Record<string, unknown> {
  let schema: Record<string, unknown> = { type: "string" };
  for (let i = 0; i < depth; i++) schema = { type: "object", properties: { a: schema } };
  return schema;
}

const busy = () => engine.loaded().reduce((n, m) => n + m.activeSequences, 0);
const hi = { model: "tiny:a", messages: [{ role: "user" as const, content: "hi" }], maxTokens: 2 };

test("the protocol refuses a message nested deeper than the channel can carry, without recursing", () => {
  let deep: unknown = {};
  for (let i = 0; i < 200_000; i++) deep = { a: deep };
  assert.throws(
    () => parseToWorker({ type: "chat", id: 1, messages: [], sampling: {}, toolChoice: deep }),
    /nested too deep/,
  );
  assert.ok(IPC_MAX_DEPTH < 1000);
});

test("a schema nested 1200 deep is refused; the worker lives on", { timeout: 60_000 }, async () => {
  await run(hi);
  const pid = engine.loaded()[0]?.pid;
  await assert.rejects(
    run({ ...hi, responseFormat: { type: "json_schema", schema: nestedSchema(1200) } }),
    (error: unknown) => error instanceof EngineError && error.code === "invalid_request",
  );
  assert.equal(busy(), 0);
  assert.equal((await run(hi)).at(-1)?.type, "done");
  assert.equal(engine.loaded()[0]?.pid, pid, "the same worker answers");
});

test(
  "an operation the channel cannot serialize fails at once and gives its sequence back",
  { timeout: 60_000 },
  async () => {
    await assert.rejects(
      run({ ...hi, toolChoice: (() => "auto") as unknown as ChatRequest["toolChoice"] }),
      // Refused by the protocol's validator, or by the channel when it cannot serialize: never sent.
      (error: unknown) => error instanceof EngineError && error.code === "invalid_request",
    );
    assert.equal(busy(), 0);
    assert.equal((await run(hi)).at(-1)?.type, "done");
  },
);
