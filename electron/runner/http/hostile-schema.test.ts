// Deeply nested or huge JSON schemas (response_format, Ollama's format, tool parameters) are refused with
// a 400 at the HTTP boundary; the model keeps serving and no sequence stays busy.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startTestRunner, TINY_MODEL, type TestRunner } from "../../../testkit/runner.ts";

let t: TestRunner;
before(async () => {
  t = await startTestRunner();
});
after(() => t?.close());

/** Raw JSON text: JSON.stringify itself overflows the stack at these depths. */
function nested(depth: number): RawJson {
  const open = '{"type":"object","required":["a"],"properties":{"a":';
  return new RawJson(open.repeat(depth) + '{"type":"string"}' + "}}".repeat(depth));
}

class RawJson {
  constructor(readonly text: string) {}
}

/** JSON text of `body`, with RawJson values spliced in as they are. */
function toJson(body: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(body, (_key, value: unknown) => {
    if (value instanceof RawJson) {
      raws.push(value.text);
      return `\u0000raw${raws.length - 1}`;
    }
    return value;
  });
  return text.replace(/"\\u0000raw(\d+)"/g, (_m, i: string) => raws[Number(i)]!);
}

function wide(count: number): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) properties[`p${i}`] = { type: "string", enum: ["x", "y"] };
  return { type: "object", properties };
}

/** Posts and reads the whole answer; a request that hangs fails the test instead of holding it. */
async function post(path: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${t.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: toJson(body),
    signal: AbortSignal.timeout(20_000),
  });
  return { status: res.status, text: await res.text() };
}

const busy = () => t.runner.engine.loaded().reduce((n, m) => n + m.activeSequences, 0);

async function normalChat(): Promise<number> {
  const res = await fetch(`${t.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: TINY_MODEL, messages: [{ role: "user", content: "hi" }], max_tokens: 4 }),
  });
  await res.arrayBuffer();
  return res.status;
}

for (const depth of [1200, 3000]) {
  test(`a response_format schema nested ${depth} deep gets 400 while a normal request completes`, async () => {
    const schema = nested(depth);
    const hostile = Promise.all([
      post("/v1/chat/completions", {
        model: TINY_MODEL,
        messages: [{ role: "user", content: "hi" }],
        response_format: { type: "json_schema", json_schema: { name: "x", schema } },
      }),
      post("/api/chat", { model: TINY_MODEL, messages: [{ role: "user", content: "hi" }], format: schema }),
      post("/api/generate", { model: TINY_MODEL, prompt: "hi", format: schema, stream: false }),
      post("/v1/chat/completions", {
        model: TINY_MODEL,
        messages: [{ role: "user", content: "hi" }],
        tools: [{ type: "function", function: { name: "f", parameters: schema } }],
        tool_choice: "required",
      }),
    ]);
    const [normal, responses] = await Promise.all([normalChat(), hostile]);
    for (const res of responses) {
      assert.equal(res.status, 400, res.text);
      assert.match(res.text, /nested (too deep|more than)/);
    }
    assert.equal(normal, 200);
    assert.equal(await normalChat(), 200, "the model still answers afterwards");
    assert.equal(busy(), 0);
  });
}

test("a body nested deeper than any API needs gets 400", async () => {
  const deep = new RawJson("[".repeat(5000) + "]".repeat(5000));
  const res = await post("/v1/chat/completions", { model: TINY_MODEL, messages: [], extra: deep });
  assert.equal(res.status, 400);
  assert.match(res.text, /nested (too deep|more than)/);
});

test("a schema with too many parts gets 400", async () => {
  const res = await post("/v1/chat/completions", {
    model: TINY_MODEL,
    messages: [{ role: "user", content: "hi" }],
    response_format: { type: "json_schema", json_schema: { name: "x", schema: wide(20_000) } },
  });
  assert.equal(res.status, 400);
  assert.match(res.text, /too large/);
  assert.equal(busy(), 0);
});
