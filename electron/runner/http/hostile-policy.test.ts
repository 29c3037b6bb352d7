// Policy holes and wrong answers: malformed paths and settings are 400s, a wildcard origin cannot unload
// or pin a model through keep_alive, and a keep-alive longer than setTimeout's range still holds.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ModelSlot } from "../engine/model-slot.ts";
import { startTestRunner, TINY_MODEL, type TestRunner } from "../../../testkit/runner.ts";

let t: TestRunner;
before(async () => {
  t = await startTestRunner({ corsOrigins: ["*"] });
});
after(() => t?.close());

const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${t.url}${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

test("a malformed percent-escape in a path is a 400, not a 500", async () => {
  for (const path of ["/v1/models/%ZZ", "/v1/models/a%E0%A4%A"]) {
    const res = await send("GET", path);
    assert.equal(res.status, 400, path);
    assert.match(await res.text(), /malformed percent-escape/);
  }
});

test('settings with "__proto__" or "constructor" keys, or a relative modelsDir, are 400s', async () => {
  for (const raw of ['{"__proto__":{}}', '{"constructor":1}', '{"modelsDir":"models"}']) {
    const res = await fetch(`${t.url}/hangar/settings`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: raw,
    });
    assert.equal(res.status, 400, raw);
    assert.match(await res.text(), /unknown setting|absolute path/);
  }
  assert.equal(t.runner.settings().modelsDir, null, "nothing was applied");
});

test("a wildcard origin may not unload or pin a model through keep_alive", async () => {
  const foreign = { origin: "https://elsewhere.example" };
  const cases: [string, unknown][] = [
    ["/api/generate", { model: TINY_MODEL, keep_alive: 0 }],
    ["/api/generate", { model: TINY_MODEL, prompt: "hi", keep_alive: -1 }],
    ["/api/chat", { model: TINY_MODEL, messages: [{ role: "user", content: "hi" }], keep_alive: "720h" }],
    ["/api/embed", { model: TINY_MODEL, input: "hi", keep_alive: 0 }],
  ];
  for (const [path, body] of cases) {
    const res = await send("POST", path, body, foreign);
    assert.equal(res.status, 403, `${path} ${JSON.stringify(body)}`);
    assert.match(await res.text(), /keep_alive/);
  }
  assert.deepEqual(t.runner.engine.loaded(), [], "nothing was loaded or pinned");
});

test("a keep-alive over 24.8 days does not unload the model at once", async () => {
  let expired = false;
  const now = Date.now();
  const slot = new ModelSlot(
    "m",
    0,
    512,
    { parallel: 1, maxQueue: 0, keepAliveSeconds: 720 * 3600 },
    () => now,
    () => (expired = true),
  );
  slot.state = "ready";
  slot.scheduleExpiry();
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(expired, false);
  assert.equal(slot.expiresAt, now + 720 * 3600 * 1000);
  slot.markGone();
});

test("a failure inside a live worker is a 500 internal_error, never worker_crashed", async () => {
  const { EngineError } = await import("../engine/types.ts");
  const { toHttpError } = await import("./errors.ts");
  const e = toHttpError(new EngineError("internal", "the grammar failed"));
  assert.equal(e.status, 500);
  assert.equal(e.code, "internal_error");
});
