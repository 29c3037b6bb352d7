import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { loggedError, requestParameters } from "./request-parameters.ts";
import { startTestRunner, type TestRunner } from "../../../testkit/runner.ts";

test("parameters keep numbers, flags and identifiers; text only as its length; secrets not at all", () => {
  const prompt = "the words a person wrote";
  assert.deepEqual(
    requestParameters({
      model: "ai/smollm2:135M",
      messages: [{ role: "user", content: prompt }],
      prompt,
      system: prompt,
      temperature: 0.2,
      max_tokens: 64,
      stream: true,
      seed: null,
      stop: ["\n"],
      api_key: "sk-1234",
      access_token: "t",
      response_format: { type: "json_schema", json_schema: { name: "x", schema: {} } },
      options: { num_ctx: 2048, top_k: 40, password: "p" },
      tools: [{}, {}],
      metadata: { user: prompt },
    }),
    {
      model: "ai/smollm2:135M",
      messages: "(1 item)",
      prompt: `(${prompt.length} characters)`,
      system: `(${prompt.length} characters)`,
      temperature: 0.2,
      max_tokens: 64,
      stream: true,
      seed: null,
      stop: "(1 item)",
      "response_format.type": "json_schema",
      "response_format.json_schema": "(object)",
      "options.num_ctx": 2048,
      "options.top_k": 40,
      tools: "(2 items)",
      metadata: "(object)",
    },
  );
});

test("bodies that are not objects have no parameters; the count and lengths are bounded", () => {
  assert.equal(requestParameters(null), undefined);
  assert.equal(requestParameters([1, 2]), undefined);
  assert.equal(requestParameters("text"), undefined);
  assert.equal(requestParameters({}), undefined);
  const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`p${i}`, i]));
  assert.equal(Object.keys(requestParameters(many)!).length, 40);
  assert.equal((requestParameters({ model: "m".repeat(5000) })!.model as string).length, 200);
  assert.equal(loggedError(undefined, "x".repeat(5000)).message.length, 1001);
  assert.deepEqual(loggedError("invalid_value", "bad"), { code: "invalid_value", message: "bad" });
});

let t: TestRunner;
/** The request's log row: written when the response closes, which may be just after the client has it. */
async function loggedRow(path: string, status: number) {
  for (let i = 0; i < 200; i++) {
    const row = t.runner.logs
      .entries({ sources: ["http"] })
      .find((e) => e.request?.path === path && e.request.status === status);
    if (row) return row;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no log row for ${path} ${status}`);
}

before(async () => {
  t = await startTestRunner({}, { model: false, name: "request-parameters" });
});
after(() => t.close());

test("a refused request's log row carries the reason and the parameters, never the prompt or a key", async () => {
  const prompt = "a prompt nobody else should read";
  const res = await fetch(`${t.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer sk-header-secret" },
    body: JSON.stringify({
      model: "local/none:1",
      messages: [{ role: "user", content: prompt }],
      temperature: 7,
      max_tokens: 12,
      api_key: "sk-body-secret",
    }),
  });
  assert.equal(res.status, 400);
  const told = ((await res.json()) as { error: { message: string } }).error.message;
  const row = await loggedRow("/v1/chat/completions", 400);
  assert.ok(row.request);
  assert.equal(row.level, "warn");
  assert.equal(row.request.error?.message, told, "the reason is what the client was told");
  assert.match(told, /temperature/);
  assert.deepEqual(row.request.parameters, {
    model: "local/none:1",
    messages: "(1 item)",
    temperature: 7,
    max_tokens: 12,
  });
  const logged = JSON.stringify(row);
  for (const secret of [prompt, "sk-body-secret", "sk-header-secret"])
    assert.ok(!logged.includes(secret), `${secret} is not logged`);
});

test("a body that is not JSON logs the reason and no parameters", async () => {
  const res = await fetch(`${t.url}/api/chat`, { method: "POST", body: "{not json" });
  assert.equal(res.status, 400);
  const row = await loggedRow("/api/chat", 400);
  assert.equal(row.request?.parameters, undefined);
  assert.match(row.request?.error?.message ?? "", /not valid JSON/);
  assert.equal(row.request?.error?.code, "invalid_json");
});
