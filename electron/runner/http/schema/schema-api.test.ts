// JSON schemas over the OpenAI API with the official client against a real runner: what the grammar
// enforces holds, `strict` refuses what it cannot, the rest is validated, and nothing is a 500.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { startTestRunner, TINY_MODEL, type TestRunner } from "../../../../testkit/runner.ts";

let t: TestRunner;
let client: OpenAI;
before(async () => {
  // Tool documentation in the prompt takes several hundred tokens.
  t = await startTestRunner({ contextSize: 1536 }, { model: { contextLength: 2048 } });
  client = new OpenAI({ baseURL: `${t.url}/v1`, apiKey: "unused", maxRetries: 0 });
});
after(() => t?.close());

const ask = (schema: Record<string, unknown>, strict?: boolean, seed = 1) =>
  client.chat.completions.create({
    model: TINY_MODEL,
    messages: [{ role: "user", content: "json" }],
    response_format: {
      type: "json_schema",
      json_schema: { name: "out", schema, ...(strict !== undefined ? { strict } : {}) },
    },
    max_tokens: 30,
    seed,
  });

test("an integer range is enforced: digits come out as plain integers in range", async () => {
  for (const seed of [1, 2]) {
    const reply = await ask(
      { type: "object", properties: { n: { type: "integer", minimum: 0, maximum: 9 } }, required: ["n"] },
      true,
      seed,
    );
    const text = reply.choices[0]!.message.content!;
    const { n } = JSON.parse(text) as { n: number };
    assert.ok(Number.isInteger(n) && n >= 0 && n <= 9, text);
    assert.doesNotMatch(text, /[eE]/);
  }
});

test("unbounded integers never come out in exponent form", async () => {
  for (const seed of [4, 5]) {
    const reply = await ask(
      { type: "object", properties: { n: { type: "integer" } }, required: ["n"] },
      undefined,
      seed,
    );
    const text = reply.choices[0]!.message.content!;
    if (reply.choices[0]!.finish_reason !== "stop") continue;
    assert.ok(Number.isSafeInteger((JSON.parse(text) as { n: number }).n), text);
    assert.doesNotMatch(text, /\d[eE]/);
  }
});

test("strict: a keyword the grammar cannot enforce is a 400 that names it, for formats and tools", async () => {
  await assert.rejects(
    ask({ type: "object", properties: { code: { type: "string", pattern: "^z+$" } } }, true),
    (e: unknown) => e instanceof OpenAI.BadRequestError && /pattern \(at properties\.code\)/.test(e.message),
  );
  await assert.rejects(
    client.chat.completions.create({
      model: TINY_MODEL,
      messages: [{ role: "user", content: "x" }],
      tools: [
        {
          type: "function",
          function: {
            name: "pick",
            strict: true,
            parameters: { type: "object", properties: { n: { type: "number", minimum: 0.5 } } },
          },
        },
      ],
    }),
    (e: unknown) => e instanceof OpenAI.BadRequestError && /tool "pick".*minimum/.test(e.message),
  );
});

test("not strict: the output is validated, and a reply that breaks the schema is a 422 naming the keyword", async () => {
  const res = await fetch(`${t.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      model: TINY_MODEL,
      messages: [{ role: "user", content: "json" }],
      response_format: {
        type: "json_schema",
        json_schema: {
          name: "out",
          schema: {
            type: "object",
            properties: { code: { type: "string", maxLength: 4, pattern: "^z+$" } },
            required: ["code"],
          },
        },
      },
      max_tokens: 40,
      seed: 1,
    }),
  });
  const body = (await res.json()) as {
    choices?: { message: { content: string } }[];
    error?: { message: string };
  };
  if (res.status === 200)
    assert.match((JSON.parse(body.choices![0]!.message.content) as { code: string }).code, /^z+$/);
  else {
    assert.equal(res.status, 422, JSON.stringify(body));
    assert.match(body.error!.message, /\/code .*\(pattern\)/);
  }
});

test("maxLength holds in a forced tool call's arguments", async () => {
  const reply = await client.chat.completions.create({
    model: TINY_MODEL,
    messages: [{ role: "user", content: "code?" }],
    tools: [
      {
        type: "function",
        function: {
          name: "code",
          parameters: {
            type: "object",
            properties: { code: { type: "string", maxLength: 3 } },
            required: ["code"],
          },
        },
      },
    ],
    tool_choice: { type: "function", function: { name: "code" } },
    max_tokens: 100,
    seed: 2,
  });
  const call = reply.choices[0]!.message.tool_calls?.[0];
  assert.ok(call?.type === "function", JSON.stringify(reply.choices[0]));
  assert.ok(
    (JSON.parse(call.function.arguments) as { code: string }).code.length <= 3,
    call.function.arguments,
  );
});

test("a schema that is not valid JSON Schema is a 400, never a 500", async () => {
  for (const schema of [
    { type: "integer", minimum: "zero", pattern: "(" },
    { type: "object", properties: { a: { type: "nope" } } },
  ]) {
    const res = await fetch(`${t.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: TINY_MODEL,
        messages: [{ role: "user", content: "json" }],
        response_format: { type: "json_schema", json_schema: { name: "out", schema } },
        max_tokens: 5,
      }),
    });
    assert.equal(res.status, 400, `${JSON.stringify(schema)}: ${await res.text()}`);
  }
});
