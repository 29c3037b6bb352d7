// `think` on the Ollama API, driven by the official `ollama` client: a scripted model that thinks, and
// the generated tiny model, which cannot.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Ollama } from "ollama";
import { startTestRunner, TINY_MODEL, type TestRunner } from "../../../testkit/runner.ts";
import {
  importScriptedModel,
  SCRIPTED_ANSWER,
  SCRIPTED_THOUGHT,
  THINKER_MODEL,
} from "../../../testkit/scripted-model.ts";

let t: TestRunner;
let ollama: Ollama;
before(async () => {
  t = await startTestRunner({ parallel: 1 }, { name: "thinking-ollama" });
  await importScriptedModel(t.library, t.home);
  ollama = new Ollama({ host: t.url });
});
after(() => t?.close());

const hello = [{ role: "user", content: "Hello?" }];
const options = { temperature: 0, num_predict: 40 };

/** A streamed /api/generate of the thinker, its chunks put together. */
async function streamedGenerate(think?: boolean): Promise<{ thinking: string; response: string }> {
  let thinking = "";
  let response = "";
  const stream = await ollama.generate({
    model: THINKER_MODEL,
    prompt: "Hello?",
    options,
    stream: true,
    ...(think === undefined ? {} : { think }),
  });
  for await (const chunk of stream) {
    thinking += chunk.thinking ?? "";
    response += chunk.response;
  }
  return { thinking, response };
}

test("/api/chat gives the thought as message.thinking and the reply without its tags", async () => {
  for (const think of [undefined, true, "high"] as const) {
    const reply = await ollama.chat({
      model: THINKER_MODEL,
      messages: hello,
      options,
      ...(think === undefined ? {} : { think }),
    });
    assert.equal(reply.message.thinking, SCRIPTED_THOUGHT, `think ${think}`);
    assert.equal(reply.message.content, SCRIPTED_ANSWER, `think ${think}`);
    assert.equal(reply.done_reason, "stop");
  }
});

test("an earlier reply's thinking sent back in the history is accepted", async () => {
  const reply = await ollama.chat({
    model: THINKER_MODEL,
    messages: [
      ...hello,
      { role: "assistant", content: SCRIPTED_ANSWER, thinking: SCRIPTED_THOUGHT },
      { role: "user", content: "Again?" },
    ],
    options,
  });
  assert.equal(reply.message.thinking, SCRIPTED_THOUGHT);
  assert.equal(reply.message.content, SCRIPTED_ANSWER);
});

test("/api/chat streams the thinking first, in chunks of their own", async () => {
  const chunks = [];
  for await (const chunk of await ollama.chat({
    model: THINKER_MODEL,
    messages: hello,
    options,
    stream: true,
  }))
    chunks.push(chunk);
  const thinking = chunks.map((c) => c.message.thinking ?? "").join("");
  const content = chunks.map((c) => c.message.content).join("");
  assert.equal(thinking, SCRIPTED_THOUGHT);
  assert.equal(content, SCRIPTED_ANSWER);
  const lastThought = chunks.findLastIndex((c) => c.message.thinking);
  const firstText = chunks.findIndex((c) => c.message.content);
  assert.ok(lastThought >= 0 && lastThought < firstText, "thinking comes before the reply");
  assert.ok(
    chunks.every((c) => !(c.message.thinking && c.message.content)),
    "no chunk mixes both",
  );
  assert.equal(chunks.at(-1)?.done, true);
});

test("/api/generate gives `thinking` beside `response`, streamed or not", async () => {
  const reply = await ollama.generate({ model: THINKER_MODEL, prompt: "Hello?", options, think: true });
  assert.equal(reply.thinking, SCRIPTED_THOUGHT);
  assert.equal(reply.response, SCRIPTED_ANSWER);
  assert.deepEqual(await streamedGenerate(), { thinking: SCRIPTED_THOUGHT, response: SCRIPTED_ANSWER });
});

test("think false: the model answers without thinking, on both routes", async () => {
  const chat = await ollama.chat({ model: THINKER_MODEL, messages: hello, options, think: false });
  assert.equal(chat.message.thinking, undefined);
  assert.equal(chat.message.content, SCRIPTED_ANSWER);
  assert.deepEqual(await streamedGenerate(false), { thinking: "", response: SCRIPTED_ANSWER });
});

test("think true on a model that cannot think is Ollama's 400; false or absent is fine", async () => {
  for (const stream of [false, true]) {
    const res = await fetch(`${t.url}/api/chat`, {
      method: "POST",
      body: JSON.stringify({ model: TINY_MODEL, messages: hello, think: true, stream }),
    });
    assert.equal(res.status, 400, `stream ${stream}`);
    assert.deepEqual(await res.json(), { error: `"${TINY_MODEL}" does not support thinking` });
  }
  await assert.rejects(ollama.generate({ model: TINY_MODEL, prompt: "Hello?", think: "low" }), {
    status_code: 400,
    error: `"${TINY_MODEL}" does not support thinking`,
  });
  const plain = await ollama.chat({
    model: TINY_MODEL,
    messages: hello,
    think: false,
    options: { temperature: 0, num_predict: 4 },
  });
  assert.equal(plain.message.thinking, undefined);
  assert.equal(plain.done, true);
});

test("a think value Ollama does not know is a 400", async () => {
  const res = await fetch(`${t.url}/api/chat`, {
    method: "POST",
    body: JSON.stringify({ model: THINKER_MODEL, messages: hello, think: "very" }),
  });
  assert.equal(res.status, 400);
  assert.match(((await res.json()) as { error: string }).error, /think/);
});

test("/api/show lists the thinking capability for the model that thinks only", async () => {
  const thinker = await ollama.show({ model: THINKER_MODEL });
  assert.ok(thinker.capabilities.includes("thinking"), String(thinker.capabilities));
  assert.ok(thinker.capabilities.includes("completion"));
  const tiny = await ollama.show({ model: TINY_MODEL });
  assert.ok(!tiny.capabilities.includes("thinking"), String(tiny.capabilities));
});
