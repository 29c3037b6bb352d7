// Anthropic's Messages API driven by the official `@anthropic-ai/sdk` client against a real runner.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import { startTestRunner, TINY_MODEL, type TestRunner } from "../../../../testkit/runner.ts";

const KEY = "local-key-123";
let t: TestRunner;
let client: Anthropic;
before(async () => {
  // Tool documentation in the prompt takes several hundred tokens.
  t = await startTestRunner({ contextSize: 1536, apiKeys: [KEY] }, { model: { contextLength: 2048 } });
  client = new Anthropic({ baseURL: t.url, apiKey: KEY, maxRetries: 0 });
});
after(() => t?.close());

// The SDK's types no longer list temperature, but the API (and older clients) still send it.
const greedy = { temperature: 0 } as object;

const weather: Anthropic.Tool = {
  name: "get_weather",
  description: "Current weather in a city",
  input_schema: {
    type: "object",
    properties: { city: { enum: ["Oslo", "Paris"] }, metric: { type: "boolean" } },
    required: ["city", "metric"],
  },
};

test("a message with system and usage; streaming gives the same text through Anthropic's events", async () => {
  const whole = await client.messages.create({
    model: TINY_MODEL,
    system: "Answer briefly.",
    messages: [{ role: "user", content: "hello" }],
    max_tokens: 6,
    ...greedy,
  });
  assert.equal(whole.type, "message");
  assert.equal(whole.role, "assistant");
  assert.equal(whole.stop_reason, "max_tokens");
  assert.equal(whole.usage.output_tokens, 6);
  assert.ok(whole.usage.input_tokens > 0);
  const text = whole.content.map((b) => (b.type === "text" ? b.text : "")).join("");
  assert.ok(text.length > 0);

  const stream = await client.messages.create({
    model: TINY_MODEL,
    system: [{ type: "text", text: "Answer briefly." }],
    messages: [{ role: "user", content: [{ type: "text", text: "hello" }] }],
    max_tokens: 6,
    ...greedy,
    stream: true,
  });
  const types: string[] = [];
  let streamed = "";
  for await (const event of stream) {
    types.push(event.type); // the SDK drops "ping" events
    if (event.type === "content_block_delta" && event.delta.type === "text_delta")
      streamed += event.delta.text;
    if (event.type === "message_delta") assert.equal(event.usage.output_tokens, 6);
  }
  assert.equal(streamed, text);
  assert.deepEqual(
    [...new Set(types)],
    [
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ],
  );

  const helper = client.messages.stream({
    model: TINY_MODEL,
    system: "Answer briefly.",
    messages: [{ role: "user", content: "hello" }],
    max_tokens: 6,
    ...greedy,
  });
  assert.equal(await helper.finalText(), text);
});

test("tools: tool_choice tool and any force a tool_use block, streamed as input_json_delta; a tool_result continues", async () => {
  const forced = await client.messages.create({
    model: TINY_MODEL,
    messages: [{ role: "user", content: "weather in Oslo?" }],
    tools: [weather],
    tool_choice: { type: "tool", name: "get_weather" },
    max_tokens: 200,
    ...greedy,
  });
  assert.equal(forced.stop_reason, "tool_use");
  const use = forced.content.find((b) => b.type === "tool_use");
  assert.ok(use && use.type === "tool_use");
  assert.equal(use.name, "get_weather");
  assert.ok(["Oslo", "Paris"].includes((use.input as { city: string }).city));

  const final = await client.messages
    .stream({
      model: TINY_MODEL,
      messages: [{ role: "user", content: "weather in Oslo?" }],
      tools: [weather],
      tool_choice: { type: "any" },
      max_tokens: 200,
      ...greedy,
    })
    .finalMessage();
  const streamedUse = final.content.find((b) => b.type === "tool_use");
  assert.ok(streamedUse && streamedUse.type === "tool_use", JSON.stringify(final.content));
  assert.equal(typeof (streamedUse.input as { metric: unknown }).metric, "boolean");

  const answered = await client.messages.create({
    model: TINY_MODEL,
    messages: [
      { role: "user", content: "weather in Oslo?" },
      { role: "assistant", content: [use] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: "21 degrees" }] },
    ],
    tools: [weather],
    tool_choice: { type: "none" },
    max_tokens: 3,
  });
  assert.equal(answered.stop_reason, "max_tokens");
});

test("output_config.format json_schema gives JSON that follows the schema", async () => {
  const reply = await client.messages.create({
    model: TINY_MODEL,
    messages: [{ role: "user", content: "a city" }],
    max_tokens: 40,
    output_config: {
      format: {
        type: "json_schema",
        schema: { type: "object", properties: { city: { enum: ["Oslo", "Paris"] } }, required: ["city"] },
      },
    },
  });
  const text = reply.content.map((b) => (b.type === "text" ? b.text : "")).join("");
  assert.ok(["Oslo", "Paris"].includes((JSON.parse(text) as { city: string }).city));
});

test("count_tokens counts the prompt the model sees, tools included", async () => {
  const plain = await client.messages.countTokens({
    model: TINY_MODEL,
    messages: [{ role: "user", content: "hello" }],
  });
  const withTools = await client.messages.countTokens({
    model: TINY_MODEL,
    messages: [{ role: "user", content: "hello" }],
    tools: [weather],
  });
  assert.ok(plain.input_tokens > 0);
  assert.ok(withTools.input_tokens > plain.input_tokens);
});

test("errors come back in Anthropic's shape; x-api-key is the key header", async () => {
  await assert.rejects(
    client.messages.create({
      model: "absent/model:1",
      messages: [{ role: "user", content: "x" }],
      max_tokens: 1,
    }),
    (e: unknown) => e instanceof Anthropic.NotFoundError && /absent\/model:1/.test(e.message),
  );
  const missingMax = await fetch(`${t.url}/v1/messages`, {
    method: "POST",
    headers: { "x-api-key": KEY, "content-type": "application/json" },
    body: JSON.stringify({ model: TINY_MODEL, messages: [{ role: "user", content: "x" }] }),
  });
  assert.equal(missingMax.status, 400);
  const body = (await missingMax.json()) as { type: string; error: { type: string; message: string } };
  assert.equal(body.type, "error");
  assert.equal(body.error.type, "invalid_request_error");
  assert.match(body.error.message, /max_tokens/);
  const wrongKey = new Anthropic({ baseURL: t.url, apiKey: "wrong-key-456", maxRetries: 0 });
  await assert.rejects(
    wrongKey.messages.create({
      model: TINY_MODEL,
      messages: [{ role: "user", content: "x" }],
      max_tokens: 1,
    }),
    (e: unknown) => e instanceof Anthropic.AuthenticationError,
  );
  const keyOnOpenAi = await fetch(`${t.url}/v1/models`, { headers: { "x-api-key": KEY } });
  assert.equal(keyOnOpenAi.status, 401, "x-api-key counts on Anthropic's routes only");
  await assert.rejects(
    client.messages.create({
      model: TINY_MODEL,
      messages: [
        { role: "user", content: [{ type: "image", source: { type: "url", url: "http://x/y.png" } }] },
      ],
      max_tokens: 1,
    }),
    (e: unknown) => e instanceof Anthropic.BadRequestError && /image/.test(e.message),
  );
});
