// Store tests run under node:test; the no-Node rule is for code that ships to the browser.
/* eslint-disable no-restricted-imports */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Conversation, ConversationSearchHit } from "../../../../electron/contract/chat.ts";
import { createChatStore, draftOf } from "./chat-store.ts";
import { streamBridge } from "../../shared/test-support/stream-bridge.ts";

const conversation = (id: string, title = "New chat", messageCount = 0): Conversation => ({
  id,
  title,
  model: "ai/tiny",
  createdAt: "",
  updatedAt: "",
  messageCount,
  systemPrompt: "",
  parameters: {},
  messages: [],
});
const row = (c: Conversation): ConversationSearchHit => {
  const { messages: _m, systemPrompt: _s, parameters: _p, ...summary } = c;
  return { ...summary, excerpt: null };
};

/** Three conversations a, b, c (newest first) the runner lists and can delete. */
function threeConversations() {
  const saved = new Map(["a", "b", "c"].map((id) => [id, conversation(id, `Chat ${id}`, 2)]));
  const { bridge, streams, calls } = streamBridge({
    "chat.list": () => [...saved.values()].map(row),
    "models.list": () => ({ models: [], diskUsageBytes: 0, storageDir: "/x" }),
    "chat.get": ({ id }: { id: string }) => saved.get(id),
    "chat.delete": ({ id }: { id: string }) => (saved.delete(id), { deleted: true }),
  });
  return { store: createChatStore(bridge, { scheduleFrame: () => {} }), saved, streams, calls };
}

test("deleting the open conversation opens the one below it, or above for the last, then none", async () => {
  const { store } = threeConversations();
  await store.getState().refresh();
  await store.getState().open("b");
  await store.getState().remove("b");
  assert.equal(store.getState().current?.id, "c", "the row below");
  await store.getState().remove("c");
  assert.equal(store.getState().current?.id, "a", "the last row: the one above");
  await store.getState().remove("a");
  assert.equal(store.getState().current, null, "none left: the empty state");
  assert.deepEqual(store.getState().conversations, []);
});

test("deleting another conversation leaves the open one open", async () => {
  const { store } = threeConversations();
  await store.getState().refresh();
  await store.getState().open("a");
  await store.getState().remove("c");
  assert.equal(store.getState().current?.id, "a");
  assert.deepEqual(
    store.getState().conversations.map((c) => c.id),
    ["a", "b"],
  );
});

test("a half-typed message is kept per conversation and goes once sent", async () => {
  const { store, streams } = threeConversations();
  await store.getState().open("a");
  store.getState().setDraft("half a thou");
  await store.getState().open("b");
  assert.equal(draftOf(store.getState()), "", "b has its own box");
  store.getState().setDraft("for b");
  await store.getState().open("a");
  assert.equal(draftOf(store.getState()), "half a thou");
  store.getState().send("half a thought");
  assert.equal(streams.length, 1);
  assert.equal(draftOf(store.getState()), "");
  assert.equal(store.getState().drafts.b, "for b");
});

test("the first message renames the row at once, and an older list answer never overwrites a newer one", async () => {
  let release: () => void = () => {};
  let slow = false;
  const saved = new Map([["n", conversation("n")]]);
  const { bridge, streams } = streamBridge({
    "chat.list": async () => {
      const list = [...saved.values()].map(row);
      if (slow) await new Promise<void>((r) => (release = r));
      return list;
    },
    "models.list": () => ({ models: [], diskUsageBytes: 0, storageDir: "/x" }),
    "chat.get": ({ id }: { id: string }) => saved.get(id),
  });
  const store = createChatStore(bridge, { scheduleFrame: () => {} });
  await store.getState().refresh();
  await store.getState().open("n");
  // A list asked for before the message, answered after it.
  slow = true;
  const stale = store.getState().refresh();
  slow = false;
  store.getState().send("What is a hangar?");
  const named = { ...conversation("n", "What is a hangar?", 1) };
  saved.set("n", named);
  streams[0]!.emit({ kind: "snapshot", data: { conversation: named, replyId: "r" } });
  assert.deepEqual(
    store.getState().conversations.map((c) => [c.title, c.messageCount]),
    [["What is a hangar?", 1]],
    "the row shows the first message at once",
  );
  await new Promise((r) => setTimeout(r, 5));
  release();
  await stale;
  assert.equal(
    store.getState().conversations[0]?.title,
    "What is a hangar?",
    "the late, older answer is dropped",
  );
});

test("the conversation list starts folded in a narrow window, and the choice is kept", async () => {
  const { bridge } = streamBridge({});
  const narrow = createChatStore(bridge, { scheduleFrame: () => {}, listOpen: false });
  assert.equal(narrow.getState().listOpen, false);
  narrow.getState().toggleList();
  assert.equal(narrow.getState().listOpen, true);
  // Node has no matchMedia: a store made without the option shows the list.
  assert.equal(createChatStore(bridge, { scheduleFrame: () => {} }).getState().listOpen, true);
});

test("deleting a conversation whose reply streams while another is open gives the message box back", async () => {
  const { store, streams } = threeConversations();
  await store.getState().refresh();
  await store.getState().open("a");
  store.getState().send("long question");
  streams[0]!.emit({
    kind: "snapshot",
    data: { conversation: conversation("a", "Chat a", 1), replyId: "r" },
  });
  await store.getState().open("b");
  await store.getState().remove("a");
  assert.equal(store.getState().streaming, null, "no Stop left for a conversation that is gone");
  assert.equal(streams[0]!.closed, true, "the turn's stream is closed (the runner stops it)");
  assert.equal(store.getState().current?.id, "b");
});
