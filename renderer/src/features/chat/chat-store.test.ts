// Store tests run under node:test; the no-Node rule is for code that ships to the browser.
/* eslint-disable no-restricted-imports */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Conversation, ConversationMessage } from "../../../../electron/contract/chat.ts";
import { createChatStore } from "./chat-store.ts";
import { manualFrames, streamBridge } from "../../shared/test-support/stream-bridge.ts";

const conversation = (messages: ConversationMessage[] = []): Conversation => ({
  id: "c1",
  title: "New chat",
  model: "ai/tiny",
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
  messageCount: messages.length,
  systemPrompt: "",
  parameters: {},
  messages,
});
const user = { id: "u1", role: "user" as const, content: "hi", createdAt: "" };

function setup() {
  const frames = manualFrames();
  const { bridge, streams, calls } = streamBridge({
    "chat.list": () => [],
    "models.list": () => ({ models: [], diskUsageBytes: 0, storageDir: "/x" }),
    "chat.get": () => conversation(),
    "chat.stop": () => ({ stopped: true }),
  });
  const store = createChatStore(bridge, { scheduleFrame: frames.schedule });
  return { store, frames, streams, calls };
}

test("token deltas are batched: one state update per frame, text appended in order", async () => {
  const { store, frames, streams } = setup();
  await store.getState().open("c1");
  store.getState().send("hi");
  const turn = streams[0]!;
  assert.equal(turn.name, "chat.turn");
  assert.deepEqual(turn.params, { action: "send", content: "hi", conversationId: "c1" });
  turn.emit({ kind: "snapshot", data: { conversation: conversation([user]), replyId: "r1" } });
  turn.emit({ kind: "delta", data: { type: "loading" } });
  assert.equal(store.getState().streaming?.loading, true);

  let updates = 0;
  const off = store.subscribe(() => updates++);
  for (let i = 0; i < 200; i++) turn.emit({ kind: "delta", data: { type: "text", text: `t${i} ` } });
  assert.equal(updates, 0, "nothing re-renders before the frame");
  assert.equal(frames.scheduled, 1, "one frame for the whole burst");
  frames.run();
  assert.equal(updates, 1);
  const text = store.getState().streaming!.text;
  assert.ok(text.startsWith("t0 t1 t2 ") && text.endsWith("t199 "));
  assert.equal(store.getState().streaming?.loading, false);
  off();

  const reply: ConversationMessage = {
    id: "r1",
    role: "assistant",
    content: text,
    createdAt: "",
    figures: {
      promptTokens: 3,
      completionTokens: 200,
      tokensPerSecond: 200,
      timeToFirstTokenMs: 50,
      finishReason: "stop",
    },
  };
  turn.emit({ kind: "delta", data: { type: "done", message: reply } });
  assert.equal(store.getState().streaming, null);
  assert.deepEqual(
    store.getState().current?.messages.map((m) => m.id),
    ["u1", "r1"],
  );
});

test("text still pending when the reply ends is not lost, and a failed reply keeps its error", async () => {
  const { store, streams } = setup();
  await store.getState().open("c1");
  store.getState().send("hi");
  const turn = streams[0]!;
  turn.emit({ kind: "snapshot", data: { conversation: conversation([user]), replyId: "r1" } });
  turn.emit({ kind: "delta", data: { type: "text", text: "partial" } });
  const failed: ConversationMessage = {
    id: "r1",
    role: "assistant",
    content: "partial",
    createdAt: "",
    error: { code: "worker_crashed", message: "The model's worker process crashed. Retry to restart it." },
  };
  turn.emit({ kind: "delta", data: { type: "error", message: failed, error: failed.error! } });
  assert.equal(store.getState().streaming, null);
  assert.equal(store.getState().current?.messages.at(-1)?.error?.code, "worker_crashed");
});

test("stop asks the runner; a second send while streaming is ignored; a refused turn shows its error", async () => {
  const { store, streams, calls } = setup();
  await store.getState().open("c1");
  store.getState().send("hi");
  streams[0]!.emit({ kind: "snapshot", data: { conversation: conversation([user]), replyId: "r1" } });
  store.getState().send("again");
  assert.equal(streams.length, 1);
  await store.getState().stop();
  assert.deepEqual(
    calls.filter((c) => c.method === "chat.stop").map((c) => c.params),
    [{ id: "c1" }],
  );
  streams[0]!.emit({
    kind: "delta",
    data: { type: "done", message: { id: "r1", role: "assistant", content: "", createdAt: "" } },
  });
  store.getState().regenerate();
  assert.equal(streams.length, 2);
  assert.deepEqual(streams[1]!.params, { action: "regenerate", conversationId: "c1" });
  streams[1]!.emit({
    kind: "error",
    error: { code: "conflict", message: "a reply is still being generated" },
  });
  assert.equal(store.getState().error?.message, "a reply is still being generated");
  assert.equal(store.getState().streaming, null);
});

test("edit sends the message id and the new text", async () => {
  const { store, streams } = setup();
  await store.getState().open("c1");
  store.getState().edit("u1", "hello again");
  assert.deepEqual(streams[0]!.params, {
    action: "edit",
    messageId: "u1",
    content: "hello again",
    conversationId: "c1",
  });
});

test("opening the newest conversation never overrides one the user created meanwhile", async () => {
  const { bridge } = streamBridge({
    "chat.list": () => [{ ...conversation(), id: "old", excerpt: null }],
    "models.list": () => ({ models: [], diskUsageBytes: 0, storageDir: "/x" }),
    "chat.get": () => new Promise((r) => setTimeout(() => r({ ...conversation(), id: "old" }), 20)),
    "chat.create": () => ({ ...conversation(), id: "new" }),
  });
  const store = createChatStore(bridge, { scheduleFrame: () => {} });
  await store.getState().refresh();
  // The newest is still loading when the user creates one: the user's choice stands.
  const opening = store.getState().openNewest();
  await store.getState().create();
  await opening;
  assert.equal(store.getState().current?.id, "new");
  // And once the user has chosen, the newest is not opened over it.
  await store.getState().openNewest();
  assert.equal(store.getState().current?.id, "new");
});
