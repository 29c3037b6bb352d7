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
  turn.emit({ kind: "delta", data: { type: "loading", progress: 0.4 } });
  assert.equal(store.getState().streaming?.loadProgress, 0.4, "the load's progress reaches the chat");

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

/** A runner's conversations in memory, enough for "New chat" and the first message. */
function conversationsBridge(options: { createDelayMs?: number } = {}) {
  const saved = new Map<string, Conversation>();
  let next = 0;
  const hit = (c: Conversation) => ({ ...c, messages: undefined, excerpt: null });
  const result = streamBridge({
    "chat.list": () => [...saved.values()].reverse().map(hit),
    "models.list": () => ({
      models: [{ ref: "ai/tiny" }, { ref: "ai/other" }],
      diskUsageBytes: 0,
      storageDir: "/x",
    }),
    "chat.get": ({ id }: { id: string }) => saved.get(id),
    "chat.create": async ({ model }: { model: string | null }) => {
      if (options.createDelayMs) await new Promise((r) => setTimeout(r, options.createDelayMs));
      const c = { ...conversation(), id: `c${++next}`, model };
      saved.set(c.id, c);
      return c;
    },
    "chat.update": ({ id, ...patch }: { id: string } & Partial<Conversation>) => {
      const c = { ...saved.get(id)!, ...patch };
      saved.set(id, c);
      return c;
    },
  });
  return { ...result, saved };
}

test("New chat reuses a conversation nobody wrote in, however often it is pressed", async () => {
  const { bridge, saved, calls } = conversationsBridge();
  const store = createChatStore(bridge, { scheduleFrame: () => {} });
  await store.getState().refresh();
  // A burst of presses while the first is still in flight: one conversation.
  await Promise.all([store.getState().create(), store.getState().create(), store.getState().create()]);
  await store.getState().create();
  assert.equal(saved.size, 1);
  assert.equal(store.getState().current?.id, "c1");
  assert.equal(store.getState().current?.model, "ai/tiny", "the first installed model");
  assert.equal(store.getState().composerFocus, 4, "each press sends the focus to the message box");
  // Asking for another model reuses it too, with that model.
  await store.getState().create("ai/other");
  assert.equal(saved.size, 1);
  assert.equal(saved.get("c1")!.model, "ai/other");
  // Once written in (or renamed) it is kept, and New chat makes another.
  saved.set("c1", { ...saved.get("c1")!, messageCount: 2, title: "hello" });
  await store.getState().refresh();
  store.setState({ current: saved.get("c1")! });
  await store.getState().create();
  assert.equal(saved.size, 2);
  assert.equal(store.getState().current?.id, "c2");
  assert.equal(calls.filter((c) => c.method === "chat.create").length, 2);
});

test("with no conversation open, the model picked and the first message create one", async () => {
  const { bridge, saved, streams } = conversationsBridge();
  const store = createChatStore(bridge, { scheduleFrame: () => {} });
  await store.getState().refresh();
  assert.equal(store.getState().current, null);
  await store.getState().configure({ model: "ai/other" });
  assert.equal(store.getState().draftModel, "ai/other");
  assert.equal(saved.size, 0, "picking a model creates nothing yet");
  store.getState().send("first words");
  await until(() => streams.length === 1);
  assert.equal(saved.size, 1);
  assert.equal(saved.get("c1")!.model, "ai/other");
  assert.deepEqual(streams[0]!.params, { action: "send", content: "first words", conversationId: "c1" });
});

test("a model or settings picked while New chat is still being made apply to that conversation", async () => {
  const { bridge, saved } = conversationsBridge({ createDelayMs: 30 });
  const store = createChatStore(bridge, { scheduleFrame: () => {} });
  await store.getState().refresh();
  const creating = store.getState().create();
  // The screen already shows the new chat's model picker: the user picks before the runner answers.
  await store.getState().configure({ model: "ai/other" });
  await store.getState().configure({ parameters: { maxTokens: 24 } });
  await creating;
  assert.equal(saved.size, 1);
  assert.equal(saved.get("c1")!.model, "ai/other", "the pick is not lost to the creation");
  assert.deepEqual(saved.get("c1")!.parameters, { maxTokens: 24 });
  assert.equal(store.getState().current?.model, "ai/other");
});

test("New chat does not carry over a model that is no longer installed", async () => {
  const { bridge, saved } = conversationsBridge();
  const store = createChatStore(bridge, { scheduleFrame: () => {} });
  await store.getState().refresh();
  store.setState({
    current: { ...conversation(), id: "gone", title: "Old", messageCount: 1, model: "ai/deleted" },
  });
  await store.getState().create();
  assert.equal(saved.get("c1")!.model, "ai/tiny");
});

async function until(check: () => boolean) {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), "the condition came true");
}

test("switching versions asks the runner for that branch, and waits while a reply streams", async () => {
  const earlier = { ...user, id: "u0", content: "before the edit", versions: ["u0", "u1"] };
  const { bridge, streams, calls } = streamBridge({
    "chat.list": () => [],
    "models.list": () => ({ models: [], diskUsageBytes: 0, storageDir: "/x" }),
    "chat.get": () => conversation([{ ...user, versions: ["u0", "u1"] }]),
    "chat.selectVersion": () => conversation([earlier]),
  });
  const store = createChatStore(bridge, { scheduleFrame: () => {} });
  await store.getState().open("c1");
  await store.getState().selectVersion("u0");
  assert.deepEqual(calls.find((c) => c.method === "chat.selectVersion")?.params, {
    id: "c1",
    messageId: "u0",
  });
  assert.equal(store.getState().current?.messages[0]?.content, "before the edit");
  store.getState().send("more");
  streams[0]!.emit({ kind: "snapshot", data: { conversation: conversation([earlier]), replyId: "r1" } });
  await store.getState().selectVersion("u1");
  assert.equal(calls.filter((c) => c.method === "chat.selectVersion").length, 1, "not while streaming");
});
