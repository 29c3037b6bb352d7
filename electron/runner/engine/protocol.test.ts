import { test } from "node:test";
import assert from "node:assert/strict";
import { ValidationError } from "../../contract/validate.ts";
import { parseToParent, parseToWorker } from "./protocol.ts";

const chat = (extra: Record<string, unknown>) => ({
  type: "chat",
  id: 1,
  messages: [{ role: "user", content: "hi" }],
  sampling: {},
  ...extra,
});

test("worker messages: told apart by type, inherited names and unknown types refused", () => {
  assert.equal(parseToWorker({ type: "cancel", id: 3 }).type, "cancel");
  for (const type of ["toString", "constructor", "nope", undefined])
    assert.throws(() => parseToWorker({ type, id: 1 }), ValidationError, String(type));
  assert.throws(() => parseToParent({ type: "hasOwnProperty" }), ValidationError);
  assert.throws(() => parseToWorker({ type: "load", id: 1 }), /modelPath must be a string/);
});

test("tool choices and schemas are checked, nesting included", () => {
  assert.deepEqual(parseToWorker(chat({ toolChoice: { name: "f" } })).type, "chat");
  assert.throws(() => parseToWorker(chat({ toolChoice: "sometimes" })), ValidationError);
  let deep: unknown = {};
  for (let i = 0; i < 100_000; i++) deep = { properties: deep };
  const tools = [{ name: "f", parameters: { type: "object", properties: deep } }];
  // The whole message is bounded first (100 levels), then each schema (64): either refuses it.
  assert.throws(() => parseToWorker(chat({ tools })), /nested (more than 64 levels deep|too deep)/);
  const ok = parseToWorker(chat({ tools: [{ name: "f", parameters: { type: "object" } }] }));
  assert.equal(ok.type === "chat" && ok.tools?.[0]?.name, "f");
});
