// The Responses API driven by the official `openai` client, the AI SDK's default OpenAI provider and
// LangChain's ChatOpenAI with useResponsesApi, against a real runner and engine.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import OpenAI from "openai";
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, streamText } from "ai";
import { ChatOpenAI } from "@langchain/openai";
import { startTestRunner, TINY_MODEL, type TestRunner } from "../../../../testkit/runner.ts";

let t: TestRunner;
let client: OpenAI;
before(async () => {
  // Tool documentation in the prompt takes several hundred tokens.
  t = await startTestRunner({ contextSize: 1536 }, { model: { contextLength: 2048 } });
  client = new OpenAI({ baseURL: `${t.url}/v1`, apiKey: "unused", maxRetries: 0 });
});
after(() => t?.close());

const weather: OpenAI.Responses.FunctionTool = {
  type: "function",
  name: "get_weather",
  description: "Current weather in a city",
  parameters: {
    type: "object",
    properties: { city: { enum: ["Oslo", "Paris"] }, metric: { type: "boolean" } },
    required: ["city", "metric"],
    additionalProperties: false,
  },
  strict: true,
};

test("create with a string input and instructions; streaming gives the same text through typed events", async () => {
  const whole = await client.responses.create({
    model: TINY_MODEL,
    input: "hello",
    instructions: "Answer briefly.",
    max_output_tokens: 6,
    temperature: 0,
  });
  assert.equal(whole.object, "response");
  assert.equal(whole.status, "incomplete");
  assert.equal(whole.incomplete_details?.reason, "max_output_tokens");
  assert.equal(whole.usage?.output_tokens, 6);
  assert.ok(whole.output_text.length > 0);

  const stream = await client.responses.create({
    model: TINY_MODEL,
    input: "hello",
    instructions: "Answer briefly.",
    max_output_tokens: 6,
    temperature: 0,
    stream: true,
  });
  const types: string[] = [];
  let deltas = "";
  let sequence = -1;
  for await (const event of stream) {
    assert.equal(event.sequence_number, sequence + 1, "sequence numbers count up from 0");
    sequence = event.sequence_number;
    types.push(event.type);
    if (event.type === "response.output_text.delta") deltas += event.delta;
  }
  assert.equal(deltas, whole.output_text);
  assert.deepEqual(
    [...new Set(types)],
    [
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.incomplete",
    ],
  );

  const helper = client.responses.stream({
    model: TINY_MODEL,
    input: "hello",
    max_output_tokens: 3,
    temperature: 0,
  });
  // An incomplete response ends without response.completed: the helper's final snapshot has the text.
  const final = await helper.finalResponse();
  const item = final.output[0];
  assert.ok(item?.type === "message" && item.content[0]?.type === "output_text");
  assert.ok(item.content[0].text.length > 0);
});

test("stored responses: retrieve, continue with previous_response_id, delete; store:false keeps nothing", async () => {
  const first = await client.responses.create({ model: TINY_MODEL, input: "hi", max_output_tokens: 2 });
  const files = await readdir(join(t.home, "responses"));
  assert.ok(files.includes(`${first.id}.json`), "kept under $HANGAR_HOME/responses");
  const again = await client.responses.retrieve(first.id);
  assert.equal(again.id, first.id);
  assert.equal(again.output_text, first.output_text);

  const next = await client.responses.create({
    model: TINY_MODEL,
    previous_response_id: first.id,
    input: [{ role: "user", content: "and then?" }],
    max_output_tokens: 2,
  });
  assert.equal(next.previous_response_id, first.id);
  assert.ok(
    (next.usage?.input_tokens ?? 0) > (first.usage?.input_tokens ?? 0),
    "the earlier turn is in the prompt",
  );

  const traversal = await fetch(`${t.url}/v1/responses/..%2Fsettings`);
  assert.equal(traversal.status, 404, "ids are Hangar's own, never paths");

  await client.responses.delete(first.id);
  await assert.rejects(
    client.responses.retrieve(first.id),
    (e: unknown) => e instanceof OpenAI.NotFoundError,
  );
  await assert.rejects(
    client.responses.create({ model: TINY_MODEL, previous_response_id: first.id, input: "x" }),
    (e: unknown) => e instanceof OpenAI.NotFoundError && e.param === "previous_response_id",
  );

  const unstored = await client.responses.create({
    model: TINY_MODEL,
    input: "hi",
    max_output_tokens: 1,
    store: false,
  });
  await assert.rejects(
    client.responses.retrieve(unstored.id),
    (e: unknown) => e instanceof OpenAI.NotFoundError,
  );
});

test("function tools: a forced call comes back as a function_call item, streamed with argument events; its output continues", async () => {
  const forced = await client.responses.create({
    model: TINY_MODEL,
    input: "weather in Oslo?",
    tools: [weather],
    tool_choice: { type: "function", name: "get_weather" },
    temperature: 0,
    max_output_tokens: 200,
    reasoning: { effort: "low" },
  });
  const call = forced.output.find((i) => i.type === "function_call");
  assert.ok(call && call.type === "function_call", JSON.stringify(forced.output));
  assert.equal(call.name, "get_weather");
  const args = JSON.parse(call.arguments) as { city: string; metric: boolean };
  assert.ok(["Oslo", "Paris"].includes(args.city));

  const stream = await client.responses.create({
    model: TINY_MODEL,
    input: "weather in Oslo?",
    tools: [weather],
    tool_choice: "required",
    temperature: 0,
    max_output_tokens: 200,
    stream: true,
  });
  let argumentsDone: string | null = null;
  let completed: OpenAI.Responses.Response | null = null;
  for await (const event of stream) {
    if (event.type === "response.function_call_arguments.done") argumentsDone = event.arguments;
    if (event.type === "response.completed") completed = event.response;
  }
  assert.ok(argumentsDone && JSON.parse(argumentsDone));
  assert.ok(completed?.output.some((i) => i.type === "function_call"));

  const answered = await client.responses.create({
    model: TINY_MODEL,
    input: [
      { role: "user", content: "weather in Oslo?" },
      call,
      { type: "function_call_output", call_id: call.call_id, output: '{"temperature": 21}' },
    ],
    tools: [weather],
    max_output_tokens: 3,
  });
  assert.ok(answered.output.length > 0);
});

test("text.format json_schema gives JSON that follows the schema", async () => {
  const r = await client.responses.create({
    model: TINY_MODEL,
    input: "a city",
    text: {
      format: {
        type: "json_schema",
        name: "city",
        strict: true,
        schema: {
          type: "object",
          properties: { city: { enum: ["Oslo", "Paris"] } },
          required: ["city"],
          additionalProperties: false,
        },
      },
    },
    max_output_tokens: 40,
  });
  assert.ok(["Oslo", "Paris"].includes((JSON.parse(r.output_text) as { city: string }).city));
});

test("hosted tools and unknown input items are refused with a 400 naming them", async () => {
  await assert.rejects(
    client.responses.create({ model: TINY_MODEL, input: "x", tools: [{ type: "web_search" }] }),
    (e: unknown) => e instanceof OpenAI.BadRequestError && /web_search/.test(e.message),
  );
});

test("the AI SDK's default provider (openai(model) speaks Responses) generates and streams", async () => {
  const openai = createOpenAI({ baseURL: `${t.url}/v1`, apiKey: "unused" });
  const { text, usage } = await generateText({
    model: openai(TINY_MODEL),
    prompt: "hello",
    maxOutputTokens: 4,
    temperature: 0,
  });
  assert.ok(text.length > 0);
  assert.equal(usage.outputTokens, 4);
  const streamed = streamText({
    model: openai(TINY_MODEL),
    prompt: "hello",
    maxOutputTokens: 4,
    temperature: 0,
  });
  assert.equal(await streamed.text, text);
});

test("LangChain's ChatOpenAI with useResponsesApi", async () => {
  const model = new ChatOpenAI({
    model: TINY_MODEL,
    useResponsesApi: true,
    maxTokens: 4,
    temperature: 0,
    configuration: { baseURL: `${t.url}/v1` },
    apiKey: "unused",
    maxRetries: 0,
  });
  const reply = await model.invoke("hello");
  assert.equal(typeof reply.content === "string" ? reply.content.length > 0 : reply.content.length > 0, true);
  assert.equal(reply.usage_metadata?.output_tokens, 4);
});
