// A full model answers 503 with Retry-After (OpenAI and Ollama routes); the held request still finishes.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Scheduler } from "../engine/scheduler.ts";
import { startTestRunner, TINY_MODEL, type TestRunner } from "../../../testkit/runner.ts";

let t: TestRunner;
before(async () => {
  // One sequence and no queue, so a second request while one generates is refused at once.
  t = await startTestRunner(
    {},
    {
      createEngine: ({ library, logger }) =>
        new Scheduler({
          resolveModel: (ref) => library.resolve(ref),
          logger,
          settings: { threads: 2, gpu: false, contextSize: 512, parallel: 1, maxQueue: 0 },
        }),
    },
  );
});
after(() => t?.close());

/** A streamed chat long enough to keep the model's only sequence busy. */
function longStream(signal?: AbortSignal): Promise<Response> {
  return fetch(`${t.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      model: TINY_MODEL,
      messages: [{ role: "user", content: "hello" }],
      max_tokens: 400,
      stream: true,
    }),
    ...(signal ? { signal } : {}),
  });
}

test("a second request on a busy model gets 503 with Retry-After and a message", async () => {
  const controller = new AbortController();
  const held = await longStream(controller.signal);
  assert.equal(held.status, 200, "the first request holds the only sequence");
  const reader = held.body!.getReader();
  await reader.read(); // generation has started

  const refused = await fetch(`${t.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: TINY_MODEL, messages: [{ role: "user", content: "hi" }], max_tokens: 2 }),
  });
  assert.equal(refused.status, 503);
  assert.match(refused.headers.get("retry-after") ?? "", /^\d+$/);
  const body = (await refused.json()) as { error: { message: string; code: string } };
  assert.match(body.error.message, /busy/);
  assert.equal(body.error.code, "overloaded");

  const ollama = await fetch(`${t.url}/api/generate`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: TINY_MODEL, prompt: "hi", stream: true }),
  });
  assert.equal(ollama.status, 503);
  assert.match(((await ollama.json()) as { error: string }).error, /busy/);

  controller.abort();
  await reader.cancel().catch(() => undefined);
  // Once the client is gone its sequence frees and the model answers again.
  let status = 0;
  for (let i = 0; i < 100 && status !== 200; i++) {
    const res = await fetch(`${t.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: TINY_MODEL, messages: [{ role: "user", content: "hi" }], max_tokens: 2 }),
    });
    status = res.status;
    await res.arrayBuffer();
    if (status === 503) await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(status, 200);
});

test("a worker killed mid-stream ends that stream with an error event; the next request works", async () => {
  const res = await longStream();
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = decoder.decode((await reader.read()).value);
  const loaded = t.runner.logs.entries({ sources: ["engine"] }).findLast((e) => /^loaded /.test(e.message));
  const pid = loaded?.fields?.pid;
  assert.equal(typeof pid, "number", "the engine logs the worker's pid");
  process.kill(pid as number, "SIGKILL");
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
  }
  const events = text.split("\n\n").filter(Boolean);
  const last = JSON.parse(events.at(-1)!.slice(6)) as { error?: { code: string; message: string } };
  assert.equal(last.error?.code, "worker_crashed", events.at(-1));
  assert.ok(!text.includes("[DONE]"), "a failed stream does not claim to be done");
  const row = t.runner.logs
    .entries({ sources: ["http"] })
    .findLast((e) => e.request?.path === "/v1/chat/completions");
  assert.equal(row?.request?.status, 500);

  const next = await fetch(`${t.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: TINY_MODEL, messages: [{ role: "user", content: "hi" }], max_tokens: 2 }),
  });
  assert.equal(next.status, 200);
});
