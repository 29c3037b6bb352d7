// Details OpenAI clients rely on: null as absent, prompt arrays, echo (logprobs: logprobs-api.test.ts).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { startTestRunner, TINY_MODEL, type TestRunner } from "../../../testkit/runner.ts";

let t: TestRunner;
let client: OpenAI;
before(async () => {
  t = await startTestRunner();
  client = new OpenAI({ baseURL: `${t.url}/v1`, apiKey: "unused", maxRetries: 0 });
});
after(() => t?.close());

const post = (path: string, body: unknown) =>
  fetch(`${t.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

test("null in optional fields means absent", async () => {
  const chat = await post("/v1/chat/completions", {
    model: TINY_MODEL,
    messages: [{ role: "user", content: "hi" }],
    max_tokens: 2,
    user: null,
    parallel_tool_calls: null,
    temperature: null,
    tools: null,
    tool_choice: null,
    response_format: null,
    stop: null,
  });
  assert.equal(chat.status, 200, await chat.clone().text());
  const embed = await post("/v1/embeddings", {
    model: TINY_MODEL,
    input: "x",
    encoding_format: null,
    user: null,
  });
  assert.equal(embed.status, 200, await embed.clone().text());
});

test("completions: a prompt array gives one choice per prompt, streaming and not; echo repeats the prompt", async () => {
  const whole = await client.completions.create({
    model: TINY_MODEL,
    prompt: ["one", "two"],
    max_tokens: 3,
    temperature: 0,
    echo: true,
  });
  assert.deepEqual(
    whole.choices.map((c) => c.index),
    [0, 1],
  );
  assert.ok(whole.choices[0]!.text.startsWith("one"));
  assert.ok(whole.choices[1]!.text.startsWith("two"));
  assert.equal(whole.usage?.completion_tokens, 6);

  const stream = await client.completions.create({
    model: TINY_MODEL,
    prompt: ["one", "two"],
    max_tokens: 3,
    temperature: 0,
    stream: true,
  });
  const texts = ["", ""];
  const finished: string[] = [];
  for await (const chunk of stream) {
    const c = chunk.choices[0]!;
    texts[c.index] += c.text;
    if (c.finish_reason) finished.push(`${c.index}:${c.finish_reason}`);
  }
  assert.deepEqual(finished, ["0:length", "1:length"]);
  assert.equal("one" + texts[0], whole.choices[0]!.text);
  assert.equal("two" + texts[1], whole.choices[1]!.text);
});
