// Prompts and token limits that used to hold a model for minutes: a prompt that cannot fit the context
// is refused before tokenizing, generation stops at the end of the context with finish reason "length",
// and usage counts every generated token.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startTestRunner, TINY_MODEL, type TestRunner } from "../../../testkit/runner.ts";

let t: TestRunner;
before(async () => {
  t = await startTestRunner({ contextSize: 256 });
});
after(() => t?.close());

/** The fields these tests read, from OpenAI and Ollama answers alike. */
interface Answer {
  choices: { finish_reason: string; message: { content: string } }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  done_reason?: string;
  prompt_eval_count: number;
  eval_count: number;
}

async function post(path: string, body: unknown): Promise<{ status: number; json: Answer }> {
  const res = await fetch(`${t.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    // A request that never ends fails the test instead of holding it.
    signal: AbortSignal.timeout(120_000),
  });
  return { status: res.status, json: (await res.json()) as Answer };
}

const busy = () => t.runner.engine.loaded().reduce((n, m) => n + m.activeSequences, 0);
const word = "a".repeat(512 * 1024);

test("a 512 KB single-word prompt is refused before tokenizing while a normal request completes", async () => {
  const normal = post("/v1/chat/completions", {
    model: TINY_MODEL,
    messages: [{ role: "user", content: "hi" }],
    max_tokens: 4,
  });
  const hostile = await Promise.all([
    post("/v1/completions", { model: TINY_MODEL, prompt: word, max_tokens: 4 }),
    post("/v1/chat/completions", { model: TINY_MODEL, messages: [{ role: "user", content: word }] }),
    post("/api/generate", { model: TINY_MODEL, prompt: word, stream: false }),
  ]);
  for (const res of hostile) {
    assert.equal(res.status, 400, JSON.stringify(res.json).slice(0, 300));
    assert.match(JSON.stringify(res.json), /cannot fit the context/);
  }
  assert.equal((await normal).status, 200);
  assert.equal(busy(), 0);
});

/**
 * A prompt that leaves about `room` tokens of the 256-token context, so a generation that runs to the end
 * of the context ends quickly even on a slow machine. Measured with the model's own tokenizer.
 */
async function promptLeaving(room: number): Promise<string> {
  const measure = async (text: string) =>
    (await post("/v1/completions", { model: TINY_MODEL, prompt: text, max_tokens: 1 })).json.usage
      .prompt_tokens;
  const base = await measure("once");
  const per = ((await measure("once" + " upon a time".repeat(20))) - base) / 20;
  return "once" + " upon a time".repeat(Math.floor((256 - room - base) / per));
}

test("without max_tokens, generation stops at the end of the context with finish_reason length", async () => {
  const res = await post("/v1/completions", { model: TINY_MODEL, prompt: await promptLeaving(16) });
  assert.equal(res.status, 200);
  assert.equal(res.json.choices[0]!.finish_reason, "length");
  const { prompt_tokens, completion_tokens } = res.json.usage;
  assert.ok(prompt_tokens + completion_tokens <= 256, JSON.stringify(res.json.usage));
  assert.ok(prompt_tokens + completion_tokens >= 250, `it ran to the end: ${JSON.stringify(res.json.usage)}`);
});

test("max_tokens beyond the context is clamped to it (Ollama: done_reason length)", async () => {
  const prompt = await promptLeaving(16);
  const openai = await post("/v1/completions", { model: TINY_MODEL, prompt, max_tokens: 100_000 });
  assert.equal(openai.status, 200);
  assert.equal(openai.json.choices[0]!.finish_reason, "length");
  assert.ok(openai.json.usage.total_tokens <= 256);
  const ollama = await post("/api/generate", {
    model: TINY_MODEL,
    prompt,
    raw: true,
    stream: false,
    options: { num_predict: 100_000 },
  });
  assert.equal(ollama.status, 200);
  assert.equal(ollama.json.done_reason, "length");
  assert.ok(ollama.json.prompt_eval_count + ollama.json.eval_count <= 256);
  // A chat ends at the end of the context too, instead of shifting it (the template adds some tokens).
  const chat = await post("/v1/chat/completions", {
    model: TINY_MODEL,
    messages: [{ role: "user", content: await promptLeaving(48) }],
    max_tokens: 100_000,
  });
  assert.equal(chat.status, 200);
  assert.equal(chat.json.choices[0]!.finish_reason, "length");
  assert.ok(chat.json.usage.total_tokens <= 256, JSON.stringify(chat.json.usage));
});

test("usage counts every generated token, and a tiny max_tokens still returns its text", async () => {
  for (const max of [1, 2, 8]) {
    const res = await post("/v1/chat/completions", {
      model: TINY_MODEL,
      messages: [{ role: "user", content: "hi" }],
      max_tokens: max,
    });
    assert.equal(res.status, 200);
    assert.equal(res.json.usage.completion_tokens, max, `max_tokens ${max}`);
    assert.notEqual(res.json.choices[0]!.message.content, "", `max_tokens ${max}`);
  }
});
