// The OpenAI-compatible API driven by the official `openai` client against a real runner and engine.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { startTestRunner, TINY_MODEL, type TestRunner } from "../../../testkit/runner.ts";

let t: TestRunner;
let client: OpenAI;
const messages = [{ role: "user" as const, content: "hello" }];

before(async () => {
  t = await startTestRunner();
  client = new OpenAI({ baseURL: `${t.url}/v1`, apiKey: "unused", maxRetries: 0 });
});
after(() => t?.close());

test("models lists the store's models", async () => {
  const models = await client.models.list();
  assert.deepEqual(
    models.data.map((m) => [m.id, m.object]),
    [[TINY_MODEL, "model"]],
  );
  assert.equal((await client.models.retrieve(TINY_MODEL)).id, TINY_MODEL);
});

test("chat: non-streaming and streaming give the same text at temperature 0, with usage", async () => {
  const whole = await client.chat.completions.create({
    model: TINY_MODEL,
    messages,
    temperature: 0,
    max_tokens: 8,
    seed: 1,
  });
  assert.equal(whole.object, "chat.completion");
  const choice = whole.choices[0]!;
  assert.equal(choice.message.role, "assistant");
  assert.ok(choice.message.content && choice.message.content.length > 0);
  assert.equal(choice.finish_reason, "length");
  assert.equal(whole.usage?.completion_tokens, 8);
  assert.ok((whole.usage?.prompt_tokens ?? 0) > 0);

  const stream = await client.chat.completions.create({
    model: TINY_MODEL,
    messages,
    temperature: 0,
    max_completion_tokens: 8,
    seed: 1,
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = "";
  let finish: string | null = null;
  let usage: OpenAI.CompletionUsage | null | undefined;
  let chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    assert.equal(chunk.object, "chat.completion.chunk");
    text += chunk.choices[0]?.delta.content ?? "";
    finish = chunk.choices[0]?.finish_reason ?? finish;
    if (chunk.usage) usage = chunk.usage;
  }
  assert.ok(chunks > 3);
  assert.equal(text, choice.message.content);
  assert.equal(finish, "length");
  assert.equal(usage?.completion_tokens, 8);
  assert.equal(usage?.total_tokens, usage!.prompt_tokens + 8);
});

test("SSE framing byte by byte: data lines, blank-line separators, [DONE] at the end", async () => {
  const res = await fetch(`${t.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: TINY_MODEL, messages, max_tokens: 4, temperature: 0, stream: true }),
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
  const body = await res.text();
  assert.ok(body.endsWith("data: [DONE]\n\n"), "ends with [DONE]");
  const events = body.split("\n\n");
  assert.equal(events.pop(), "", "every event ends with a blank line");
  assert.equal(events.pop(), "data: [DONE]");
  for (const event of events) {
    assert.match(event, /^data: \{.*\}$/s, "one data line per event");
    assert.ok(!event.slice(6).includes("\n"), "JSON on one line");
    JSON.parse(event.slice(6));
  }
  const first = JSON.parse(events[0]!.slice(6));
  assert.deepEqual(first.choices[0].delta, { role: "assistant", content: "" });
  assert.equal(JSON.parse(events.at(-1)!.slice(6)).choices[0].finish_reason, "length");
  assert.ok(events.length >= 3, "role, text chunks, finish");
});

test("json_object output parses as JSON", async () => {
  const res = await client.chat.completions.create({
    model: TINY_MODEL,
    messages,
    temperature: 0,
    max_tokens: 40,
    response_format: { type: "json_object" },
  });
  const content = res.choices[0]!.message.content!;
  assert.equal(typeof JSON.parse(content), "object", content);
});

test("completions, streaming and not", async () => {
  const whole = await client.completions.create({
    model: TINY_MODEL,
    prompt: "the model",
    max_tokens: 5,
    temperature: 0,
  });
  assert.equal(whole.object, "text_completion");
  assert.ok(whole.choices[0]!.text.length > 0);
  assert.ok(whole.usage!.completion_tokens > 0 && whole.usage!.completion_tokens <= 5);
  const stream = await client.completions.create({
    model: TINY_MODEL,
    prompt: "the model",
    max_tokens: 5,
    temperature: 0,
    stream: true,
  });
  let text = "";
  for await (const chunk of stream) text += chunk.choices[0]?.text ?? "";
  assert.equal(text, whole.choices[0]!.text);
});

test("embeddings as floats and base64 (the client's default)", async () => {
  const floats = await client.embeddings.create({
    model: TINY_MODEL,
    input: ["hello world", "the model"],
    encoding_format: "float",
  });
  assert.equal(floats.data.length, 2);
  const dims = floats.data[0]!.embedding.length;
  assert.ok(dims > 0);
  assert.ok(floats.data[0]!.embedding.every((x) => Number.isFinite(x)));
  const b64 = await client.embeddings.create({ model: TINY_MODEL, input: "hello world" });
  assert.equal(b64.data[0]!.embedding.length, dims);
  b64.data[0]!.embedding.forEach((x, i) => assert.ok(Math.abs(x - floats.data[0]!.embedding[i]!) < 1e-5));
  assert.ok(b64.usage.prompt_tokens > 0);
});

test("errors come back as the client's typed errors", async () => {
  await assert.rejects(
    client.chat.completions.create({ model: "nobody/nothing:1", messages }),
    (e: unknown) => e instanceof OpenAI.NotFoundError && /nobody\/nothing:1/.test(e.message),
  );
  await assert.rejects(
    client.chat.completions.create({ model: TINY_MODEL, messages, top_p: 3 }),
    (e: unknown) => e instanceof OpenAI.BadRequestError && /top_p must be <= 1/.test(e.message),
  );
  await assert.rejects(
    client.chat.completions.create({
      model: TINY_MODEL,
      messages: [{ role: "tool", content: "x" } as never],
    }),
    (e: unknown) => e instanceof OpenAI.BadRequestError && /tool_call_id/.test(e.message),
  );
});

test("two concurrent streams on one model both finish", async () => {
  const run = async (content: string) => {
    const stream = await client.chat.completions.create({
      model: TINY_MODEL,
      messages: [{ role: "user", content }],
      max_tokens: 12,
      temperature: 0,
      stream: true,
    });
    let finish: string | null = null;
    let text = "";
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    return { finish, text: text.length > 0 };
  };
  const results = await Promise.all([run("hello"), run("the world")]);
  for (const r of results) assert.ok(r.finish === "length" || r.finish === "stop", String(r.finish));
  assert.deepEqual(
    results.map((r) => r.text),
    [true, true],
  );
});

test("a client abort cancels the generation and frees its sequence", async () => {
  const controller = new AbortController();
  const stream = await client.chat.completions.create(
    { model: TINY_MODEL, messages, max_tokens: 400, temperature: 0, stream: true },
    { signal: controller.signal },
  );
  let seen = 0;
  let finish: string | null = null;
  // The client ends the iteration quietly when its signal aborts.
  for await (const chunk of stream) {
    if (chunk.choices[0]?.delta.content) seen++;
    finish = chunk.choices[0]?.finish_reason ?? finish;
    if (seen === 2) {
      // While generating, the model has one active sequence.
      assert.equal(t.runner.engine.loaded()[0]?.activeSequences, 1);
      controller.abort();
    }
  }
  assert.equal(seen, 2, "the stream stopped at the abort");
  assert.equal(finish, null, "no finish chunk arrived");
  for (let i = 0; i < 100 && t.runner.engine.loaded()[0]?.activeSequences !== 0; i++)
    await new Promise((r) => setTimeout(r, 20));
  assert.equal(t.runner.engine.loaded()[0]?.activeSequences, 0, "the sequence is free again");
  const row = t.runner.logs
    .entries({ sources: ["http"] })
    .findLast((e) => e.request?.path === "/v1/chat/completions");
  assert.equal(row?.request?.status, 499, "logged as closed by the client");
  const next = await client.chat.completions.create({ model: TINY_MODEL, messages, max_tokens: 2 });
  assert.equal(next.usage?.completion_tokens, 2);
});

test("request rows carry tokens, tok/s and time to first token; metrics count them", async () => {
  const row = t.runner.logs
    .entries({ sources: ["http"] })
    .find((e) => e.request?.path === "/v1/chat/completions" && e.request.status === 200);
  assert.ok(row?.request);
  assert.equal(row.model, TINY_MODEL);
  assert.ok((row.request.completionTokens ?? 0) > 0);
  assert.ok((row.request.tokensPerSecond ?? 0) > 0);
  assert.ok(row.request.timeToFirstTokenMs !== undefined);
  const metrics = await (await fetch(`${t.url}/metrics`)).text();
  assert.match(metrics, /hangar_completion_tokens_total\{model="local\/tiny:1"\} \d+/);
  assert.match(metrics, /hangar_time_to_first_token_seconds_count\{model="local\/tiny:1"\} [1-9]/);
  assert.match(metrics, /hangar_loaded_models 1/);
});

test("tools, tool_choice and a tool-call history are accepted and answered; a bad tool_choice is refused", async () => {
  const res = await client.chat.completions.create({
    model: TINY_MODEL,
    max_tokens: 3,
    temperature: 0,
    tools: [
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "weather for a city",
          parameters: { type: "object", properties: { city: { type: "string" } } },
        },
      },
    ],
    // "none": offering the function to the model would not fit the tiny model's context (its byte-level
    // tokenizer makes node-llama-cpp's function-calling system prompt thousands of tokens long).
    tool_choice: "none",
    messages: [
      { role: "system", content: "You are terse." },
      { role: "user", content: "weather in Paris?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_1",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: "sunny" },
    ],
  });
  const choice = res.choices[0]!;
  assert.ok(["stop", "length", "tool_calls"].includes(choice.finish_reason), choice.finish_reason);
  if (choice.finish_reason === "tool_calls") {
    assert.equal(choice.message.tool_calls?.[0]?.type, "function");
  } else assert.equal(typeof choice.message.content, "string");
  await assert.rejects(
    client.chat.completions.create({
      model: TINY_MODEL,
      messages,
      tools: [{ type: "function", function: { name: "a" } }],
      tool_choice: { type: "function", function: { name: "b" } },
    }),
    (e: unknown) => e instanceof OpenAI.BadRequestError && /not among tools/.test(e.message),
  );
});
