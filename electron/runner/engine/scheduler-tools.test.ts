// Tools through the Engine. node-llama-cpp documents the functions in the prompt (about 900 tokens with
// the test model's byte-level vocabulary), so this needs a larger context than the other engine tests.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Scheduler } from "./scheduler.ts";
import { generateModels, MemoryLogger, type GeneratedModels } from "../../../testkit/generated-models.ts";
import { EngineError, type ChatRequest, type GenerationEvent } from "./types.ts";

let models: GeneratedModels;
let engine: Scheduler;
const tools = [
  {
    name: "get_weather",
    description: "Weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
];
const request = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: "tiny:tools",
  messages: [{ role: "user", content: "weather in Oslo?" }],
  temperature: 0,
  maxTokens: 24,
  tools,
  toolChoice: "auto",
  ...extra,
});

before(async () => {
  models = await generateModels({ "tiny:tools": { seed: 2, contextLength: 2048 } });
  engine = new Scheduler({
    resolveModel: models.resolveModel,
    logger: new MemoryLogger(),
    settings: { threads: 2, gpu: false, contextSize: 1536, parallel: 1 },
  });
});

after(async () => {
  await engine.close();
  await models.cleanup();
});

test("with tools offered, a generation ends normally or returns tool calls with JSON arguments", async () => {
  const seen: GenerationEvent[] = [];
  for await (const event of engine.chat(request())) seen.push(event);
  const done = seen.at(-1);
  assert.ok(done?.type === "done");
  assert.ok(done.usage.promptTokens > 500, "the function documentation is part of the prompt");
  const calls = seen.flatMap((e) => (e.type === "tool_calls" ? e.calls : []));
  if (done.finishReason === "tool_calls") {
    assert.ok(calls.length > 0);
    for (const call of calls) assert.equal(typeof JSON.parse(call.arguments), "object");
  } else {
    assert.equal(calls.length, 0, "tool calls come with finishReason tool_calls");
  }
});

test("a system prompt longer than the context is an invalid request, not a crash", async () => {
  // The first system message is kept when the context shifts, so it has to fit on its own.
  const long = "hello world ".repeat(1200);
  const messages = [
    { role: "system" as const, content: long },
    { role: "user" as const, content: "hi" },
  ];
  await assert.rejects(
    (async () => {
      for await (const event of engine.chat(request({ messages }))) void event;
    })(),
    (error: unknown) =>
      error instanceof EngineError && error.code === "invalid_request" && /context/.test(error.message),
  );
  // The worker is still there and answers.
  const events: GenerationEvent[] = [];
  for await (const event of engine.chat(request({ tools: undefined, maxTokens: 3 }))) events.push(event);
  assert.equal(events.at(-1)?.type, "done");
});
