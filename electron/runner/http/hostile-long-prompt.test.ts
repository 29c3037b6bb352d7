// A long prompt on a model with a large context: the byte bound (context × longest token) lets it
// through, and tokenizing a long run without spaces whole would hold the worker for minutes in one
// native call. It is counted slice by slice instead: refused once it passes the context, cancellable
// between slices, and the other requests on the model keep answering meanwhile.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startTestRunner, TINY_MODEL, type TestRunner } from "../../../testkit/runner.ts";

const CONTEXT = 131_072;
let t: TestRunner;
before(async () => {
  t = await startTestRunner({ contextSize: CONTEXT, parallel: 2 }, { model: { contextLength: CONTEXT } });
});
after(() => t?.close());

const busy = () => t.runner.engine.loaded().reduce((n, m) => n + m.activeSequences, 0);
/** Passes the byte bound of this model at this context; tokenizing it whole takes minutes. */
const word = "a".repeat(900 * 1024);

function post(path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
  return fetch(`${t.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: signal ?? AbortSignal.timeout(60_000),
  });
}

// Without slices the hostile request holds the worker far beyond this test's timeout.
test(
  "a prompt past a large context is refused after counting part of it, while a normal request completes",
  { timeout: 60_000 },
  async () => {
    await post("/v1/completions", { model: TINY_MODEL, prompt: "warm", max_tokens: 1 });
    const hostile = post("/v1/completions", { model: TINY_MODEL, prompt: word, max_tokens: 4 });
    const normal = await post("/v1/chat/completions", {
      model: TINY_MODEL,
      messages: [{ role: "user", content: "hi" }],
      max_tokens: 4,
    });
    assert.equal(normal.status, 200);
    const refused = await hostile;
    const body = await refused.text();
    assert.equal(refused.status, 400, body.slice(0, 300));
    assert.match(body, /more than 131072 tokens: it cannot fit the context/);
    assert.equal(busy(), 0);
  },
);

test(
  "a client that leaves while its long prompt is counted frees the model",
  { timeout: 60_000 },
  async () => {
    const leave = new AbortController();
    const hostile = post(
      "/v1/chat/completions",
      { model: TINY_MODEL, messages: [{ role: "user", content: word }] },
      leave.signal,
    ).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    leave.abort();
    await hostile;
    const next = await post("/v1/completions", { model: TINY_MODEL, prompt: "hi", max_tokens: 2 });
    assert.equal(next.status, 200);
    for (let i = 0; i < 50 && busy() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(busy(), 0);
  },
);
