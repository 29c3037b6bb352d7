import assert from "node:assert/strict";
import { test } from "node:test";
import { ChatHistoryError, requiresToolCall, toChatHistory, toFunctions } from "./chat-history.ts";

test("messages become node-llama-cpp history ending with the response to generate", () => {
  const history = toChatHistory([
    { role: "system", content: "be brief" },
    { role: "user", content: "weather?" },
    {
      role: "assistant",
      content: "",
      toolCalls: [{ id: "c1", name: "weather", arguments: '{"city":"Oslo"}' }],
    },
    { role: "tool", toolCallId: "c1", content: '{"temp":3}' },
  ]);
  assert.deepEqual(history, [
    { type: "system", text: "be brief" },
    { type: "user", text: "weather?" },
    {
      type: "model",
      response: [{ type: "functionCall", name: "weather", params: { city: "Oslo" }, result: { temp: 3 } }],
    },
    { type: "model", response: [] },
  ]);
});

test("a trailing assistant message is continued, not answered", () => {
  const history = toChatHistory([
    { role: "user", content: "count" },
    { role: "assistant", content: "one, two" },
  ]);
  assert.deepEqual(history.at(-1), { type: "model", response: ["one, two"] });
});

test("malformed histories are refused", () => {
  assert.throws(() => toChatHistory([]), ChatHistoryError);
  assert.throws(() => toChatHistory([{ role: "tool", content: "x", toolCallId: "none" }]), /unknown/);
  assert.throws(
    () =>
      toChatHistory([
        { role: "assistant", content: "", toolCalls: [{ id: "a", name: "f", arguments: "{" }] },
      ]),
    /not valid JSON/,
  );
});

test("tools become functions; tool_choice none offers none, a named choice only that one", () => {
  const tools = [
    { name: "a", description: "first", parameters: { type: "object", properties: {} } },
    { name: "b" },
  ];
  assert.deepEqual(Object.keys(toFunctions(tools, "auto")!), ["a", "b"]);
  assert.equal(toFunctions(tools, "none"), undefined);
  assert.deepEqual(Object.keys(toFunctions(tools, { name: "b" })!), ["b"]);
  assert.throws(() => toFunctions(tools, { name: "c" }), /not among the tools/);
  assert.equal(requiresToolCall(tools, "auto"), false);
  assert.equal(requiresToolCall(tools, undefined), false);
  assert.equal(requiresToolCall(tools, "required"), true);
  assert.equal(requiresToolCall(tools, { name: "b" }), true);
  assert.equal(requiresToolCall([], "required"), false, "no tools, nothing to call");
});
