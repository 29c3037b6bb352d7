// A thinking model's reasoning on the OpenAI and Anthropic APIs, through the official `openai` and
// `@anthropic-ai/sdk` clients: chat completions (`reasoning_content`), Responses (a `reasoning` item)
// and Messages (`thinking` blocks), each streamed and not.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { startTestRunner, TINY_MODEL, type TestRunner } from "../../../testkit/runner.ts";
import {
  importScriptedModel,
  SCRIPTED_ANSWER,
  SCRIPTED_THOUGHT,
  THINKER_MODEL,
} from "../../../testkit/scripted-model.ts";

let t: TestRunner;
let openai: OpenAI;
let anthropic: Anthropic;
before(async () => {
  t = await startTestRunner({ parallel: 1 }, { name: "thinking-clients" });
  await importScriptedModel(t.library, t.home);
  openai = new OpenAI({ baseURL: `${t.url}/v1`, apiKey: "unused", maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: t.url, apiKey: "unused", maxRetries: 0 });
});
after(() => t?.close());

const hello = [{ role: "user" as const, content: "Hello?" }];
/** llama-server's field, which the `openai` types do not declare. */
type WithReasoning = { reasoning_content?: string };

test("chat completions: reasoning_content beside the content, streamed in deltas of its own", async () => {
  const reply = await openai.chat.completions.create({
    model: THINKER_MODEL,
    messages: hello,
    temperature: 0,
    reasoning_effort: "high",
  });
  const message = reply.choices[0]!.message as (typeof reply.choices)[0]["message"] & WithReasoning;
  assert.equal(message.reasoning_content, SCRIPTED_THOUGHT);
  assert.equal(message.content, SCRIPTED_ANSWER);
  let reasoning = "";
  let content = "";
  let reasoningAfterContent = false;
  const stream = await openai.chat.completions.create({
    model: THINKER_MODEL,
    messages: hello,
    stream: true,
  });
  for await (const chunk of stream) {
    const delta = (chunk.choices[0]?.delta ?? {}) as { content?: string | null } & WithReasoning;
    if (delta.reasoning_content && content) reasoningAfterContent = true;
    reasoning += delta.reasoning_content ?? "";
    content += delta.content ?? "";
  }
  assert.equal(reasoning, SCRIPTED_THOUGHT);
  assert.equal(content, SCRIPTED_ANSWER);
  assert.equal(reasoningAfterContent, false);
});

test("chat completions: reasoning_effort none switches thinking off; a model that cannot think just answers", async () => {
  const off = await openai.chat.completions.create({
    model: THINKER_MODEL,
    messages: hello,
    reasoning_effort: "none",
  });
  assert.equal((off.choices[0]!.message as WithReasoning).reasoning_content, undefined);
  assert.equal(off.choices[0]!.message.content, SCRIPTED_ANSWER);
  const kwargsOff = await openai.chat.completions.create({
    model: THINKER_MODEL,
    messages: hello,
    chat_template_kwargs: { enable_thinking: false },
  } as OpenAI.ChatCompletionCreateParamsNonStreaming);
  assert.equal(kwargsOff.choices[0]!.message.content, SCRIPTED_ANSWER);
  const tiny = await openai.chat.completions.create({
    model: TINY_MODEL,
    messages: hello,
    reasoning_effort: "low",
    max_tokens: 4,
  });
  assert.equal((tiny.choices[0]!.message as WithReasoning).reasoning_content, undefined);
});

test("responses: a reasoning item before the message, and its streamed events", async () => {
  const response = await openai.responses.create({ model: THINKER_MODEL, input: "Hello?" });
  assert.deepEqual(
    response.output.map((item) => item.type),
    ["reasoning", "message"],
  );
  const reasoning = response.output[0] as OpenAI.Responses.ResponseReasoningItem;
  assert.deepEqual(reasoning.content, [{ type: "reasoning_text", text: SCRIPTED_THOUGHT }]);
  assert.equal(response.output_text, SCRIPTED_ANSWER);

  const events: OpenAI.Responses.ResponseStreamEvent[] = [];
  for await (const event of await openai.responses.create({
    model: THINKER_MODEL,
    input: "Hello?",
    stream: true,
  }))
    events.push(event);
  const deltas = events.filter((e) => e.type === "response.reasoning_text.delta");
  assert.equal(deltas.map((e) => e.delta).join(""), SCRIPTED_THOUGHT);
  const done = events.find((e) => e.type === "response.reasoning_text.done");
  assert.equal(done?.text, SCRIPTED_THOUGHT);
  const added = events.filter((e) => e.type === "response.output_item.added").map((e) => e.item.type);
  assert.deepEqual(added, ["reasoning", "message"]);
  const completed = events.at(-1);
  assert.equal(completed?.type, "response.completed");
  if (completed?.type === "response.completed") {
    assert.deepEqual(
      completed.response.output.map((item) => item.type),
      ["reasoning", "message"],
    );
    // output_text is the SDK's convenience on non-streamed responses only.
    const message = completed.response.output[1] as OpenAI.Responses.ResponseOutputMessage;
    assert.deepEqual(
      message.content.map((part) => (part.type === "output_text" ? part.text : "")),
      [SCRIPTED_ANSWER],
    );
  }
  const off = await openai.responses.create({
    model: THINKER_MODEL,
    input: "Hello?",
    reasoning: { effort: "none" },
  });
  assert.deepEqual(
    off.output.map((item) => item.type),
    ["message"],
  );
  assert.equal(off.output_text, SCRIPTED_ANSWER);
});

test("messages: a signed thinking block first, streamed as thinking_delta and signature_delta", async () => {
  const params = {
    model: THINKER_MODEL,
    max_tokens: 100,
    messages: hello,
    thinking: { type: "enabled", budget_tokens: 1024 },
  } as const;
  const message = await anthropic.messages.create(params);
  assert.deepEqual(
    message.content.map((block) => block.type),
    ["thinking", "text"],
  );
  const [thinking, text] = message.content as [Anthropic.ThinkingBlock, Anthropic.TextBlock];
  assert.equal(thinking.thinking, SCRIPTED_THOUGHT);
  assert.ok(thinking.signature.length > 0);
  assert.equal(text.text, SCRIPTED_ANSWER);

  const stream = anthropic.messages.stream(params);
  const deltas: string[] = [];
  for await (const event of stream) if (event.type === "content_block_delta") deltas.push(event.delta.type);
  const final = await stream.finalMessage();
  assert.deepEqual(final.content, message.content);
  assert.ok(deltas.indexOf("signature_delta") > deltas.lastIndexOf("thinking_delta"));
  assert.ok(deltas.indexOf("signature_delta") < deltas.indexOf("text_delta"));

  const off = await anthropic.messages.create({ ...params, thinking: { type: "disabled" } });
  assert.deepEqual(
    off.content.map((block) => block.type),
    ["text"],
  );
  assert.equal((off.content[0] as Anthropic.TextBlock).text, SCRIPTED_ANSWER);
});
