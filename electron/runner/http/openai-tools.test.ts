// Tools over the OpenAI API with the official client. node-llama-cpp documents the functions in the
// prompt (about 950 tokens with the test model's byte-level vocabulary), so the model here is trained
// for 2048 tokens and the runner gives each request 1536.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { startTestRunner, TINY_MODEL, type TestRunner } from "../../../testkit/runner.ts";

let t: TestRunner;
let client: OpenAI;

// Random weights fill a free-form string until max_tokens; an enum and a boolean make a call end.
const tools: OpenAI.ChatCompletionTool[] = [
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Current weather in a city",
      parameters: {
        type: "object",
        properties: { city: { enum: ["Oslo", "Paris"] }, metric: { type: "boolean" } },
        required: ["city", "metric"],
      },
    },
  },
  { type: "function", function: { name: "get_time", description: "The current time" } },
];
const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "weather in Oslo?" }];
const body = { model: TINY_MODEL, messages, tools, temperature: 0, seed: 3, max_tokens: 200 };

before(async () => {
  t = await startTestRunner({ contextSize: 1536 }, { model: { contextLength: 2048 } });
  client = new OpenAI({ baseURL: `${t.url}/v1`, apiKey: "unused", maxRetries: 0 });
});
after(() => t?.close());

interface Reply {
  content: string | null;
  calls: { id: string; name: string; arguments: string }[];
  finish: string | null;
  completionTokens?: number;
}

async function ask(extra: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming>): Promise<Reply> {
  const { choices, usage } = await client.chat.completions.create({ ...body, ...extra, stream: false });
  const { message, finish_reason } = choices[0]!;
  const calls = (message.tool_calls ?? []).map((c) => {
    assert.equal(c.type, "function");
    assert.ok(c.type === "function");
    return { id: c.id, name: c.function.name, arguments: c.function.arguments };
  });
  return {
    content: message.content,
    calls,
    finish: finish_reason,
    completionTokens: usage?.completion_tokens,
  };
}

/** The same request streamed; tool calls are put together from their deltas by index. */
async function askStreaming(extra: Partial<OpenAI.ChatCompletionCreateParamsStreaming>): Promise<Reply> {
  const stream = await client.chat.completions.create({ ...body, ...extra, stream: true });
  let content = "";
  const calls: Reply["calls"] = [];
  let finish: string | null = null;
  for await (const chunk of stream) {
    const choice = chunk.choices[0];
    if (!choice) continue;
    content += choice.delta.content ?? "";
    for (const delta of choice.delta.tool_calls ?? []) {
      const call = (calls[delta.index] ??= { id: "", name: "", arguments: "" });
      call.id += delta.id ?? "";
      call.name += delta.function?.name ?? "";
      call.arguments += delta.function?.arguments ?? "";
    }
    finish = choice.finish_reason ?? finish;
  }
  return { content: calls.length && !content ? null : content, calls, finish };
}

/** Either text, or calls with JSON-object arguments and finish_reason "tool_calls". */
function assertWellFormed(reply: Reply): void {
  if (reply.calls.length === 0) {
    assert.equal(typeof reply.content, "string");
    assert.ok(reply.finish === "stop" || reply.finish === "length", `finish_reason ${reply.finish}`);
    return;
  }
  assert.equal(reply.finish, "tool_calls");
  for (const call of reply.calls) {
    assert.match(call.id, /^call_/);
    assert.ok(
      tools.some((tool) => tool.type === "function" && tool.function.name === call.name),
      call.name,
    );
    const args: unknown = JSON.parse(call.arguments);
    assert.ok(typeof args === "object" && args !== null && !Array.isArray(args), call.arguments);
  }
}

/** A forced reply: only calls, each to one of `names`, with arguments that match get_weather's schema. */
function assertForcedCall(reply: Reply, names: string[]): void {
  assertWellFormed(reply);
  assert.ok(reply.calls.length > 0, `a call, not ${JSON.stringify(reply.content)}`);
  assert.ok(!reply.content, "no text besides the call");
  for (const call of reply.calls) {
    assert.ok(names.includes(call.name), call.name);
    if (call.name !== "get_weather") continue;
    const args = JSON.parse(call.arguments) as { city?: unknown; metric?: unknown };
    assert.ok(args.city === "Oslo" || args.city === "Paris", call.arguments);
    assert.equal(typeof args.metric, "boolean");
  }
}

test('tool_choice "auto": text or tool calls, well-formed, streaming and not', async () => {
  const extra = { tool_choice: "auto" as const, max_tokens: 16 };
  assertWellFormed(await ask(extra));
  assertWellFormed(await askStreaming(extra));
});

test("a named tool_choice forces a call to that function, streaming and not", async () => {
  const extra = { tool_choice: { type: "function" as const, function: { name: "get_weather" } } };
  const reply = await ask(extra);
  assertForcedCall(reply, ["get_weather"]);
  assert.ok((reply.completionTokens ?? 0) > 5, "the call's tokens count as completion tokens");
  const streamed = await askStreaming(extra);
  assertForcedCall(streamed, ["get_weather"]);
  assert.deepEqual(
    streamed.calls.map((c) => [c.name, c.arguments]),
    reply.calls.map((c) => [c.name, c.arguments]),
    "the same call at temperature 0",
  );

  // The call and its result go back as history; the model then answers (or calls again) well-formed.
  const history: OpenAI.ChatCompletionMessageParam[] = [
    ...messages,
    {
      role: "assistant",
      content: null,
      tool_calls: reply.calls.map((c) => ({
        id: c.id,
        type: "function" as const,
        function: { name: c.name, arguments: c.arguments },
      })),
    },
    ...reply.calls.map((c) => ({ role: "tool" as const, tool_call_id: c.id, content: '{"celsius": 4}' })),
  ];
  assertWellFormed(await ask({ messages: history, tool_choice: "auto", max_tokens: 16 }));
});

test('tool_choice "required" forces a call to one of the tools, streaming and not, even with response_format', async () => {
  const names = ["get_weather", "get_time"];
  assertForcedCall(await ask({ tool_choice: "required" }), names);
  assertForcedCall(await askStreaming({ tool_choice: "required" }), names);
  const formatted = await ask({ tool_choice: "required", response_format: { type: "json_object" } });
  assertForcedCall(formatted, names);
});
