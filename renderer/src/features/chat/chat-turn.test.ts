// Store tests run under node:test; the no-Node rule is for code that ships to the browser.
/* eslint-disable no-restricted-imports */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Conversation, ConversationMessage } from "../../../../electron/contract/chat.ts";
import { createChatStore } from "./chat-store.ts";
import { INTERRUPTED_MESSAGE } from "./chat-turn.ts";
import { manualFrames, streamBridge } from "../../shared/test-support/stream-bridge.ts";

const conversation = (messages: ConversationMessage[] = []): Conversation => ({
  id: "c1",
  title: "hi",
  model: "ai/tiny",
  createdAt: "",
  updatedAt: "",
  messageCount: messages.length,
  systemPrompt: "",
  parameters: {},
  messages,
});
const user: ConversationMessage = { id: "u1", role: "user", content: "hi", createdAt: "" };
const stored: ConversationMessage = {
  id: "r1",
  role: "assistant",
  content: "partial text",
  createdAt: "",
  figures: {
    promptTokens: 1,
    completionTokens: 2,
    tokensPerSecond: 1,
    timeToFirstTokenMs: 1,
    finishReason: "cancelled",
  },
};

test("a turn whose connection drops ends as interrupted, keeps its text, and is read again once the runner answers", async () => {
  const frames = manualFrames();
  let reachable = false;
  let asked = 0;
  const { bridge, streams } = streamBridge({
    "chat.list": () => [],
    "models.list": () => ({ models: [], diskUsageBytes: 0, storageDir: "/x" }),
    "chat.get": () => {
      asked++;
      if (!reachable) throw Object.assign(new Error("connection to the runner was lost"));
      return conversation([user, stored]);
    },
  });
  // The in-memory bridge answers a throwing handler with "internal"; the runner being away is "unavailable".
  const call = bridge.call.bind(bridge);
  bridge.call = (async (method: never, params: never) => {
    const result = await call(method, params);
    return result.ok ? result : { ok: false, error: { ...result.error, code: "unavailable" } };
  }) as typeof bridge.call;
  const waits: number[] = [];
  const store = createChatStore(bridge, {
    scheduleFrame: frames.schedule,
    retryDelay: async (attempt) => {
      waits.push(attempt);
      if (attempt === 2) reachable = true;
    },
  });
  reachable = true;
  await store.getState().open("c1");
  reachable = false;
  asked = 0;
  store.getState().send("hi");
  const turn = streams[0]!;
  turn.emit({ kind: "snapshot", data: { conversation: conversation([user]), replyId: "r1" } });
  turn.emit({ kind: "delta", data: { type: "text", text: "partial" } });
  turn.emit({ kind: "error", error: { code: "unavailable", message: "connection to the runner was lost" } });

  const shown = store.getState();
  assert.equal(shown.streaming, null, "the turn is over");
  assert.equal(shown.error, null, "no banner: the reply itself says what happened");
  const reply = shown.current!.messages.at(-1)!;
  assert.equal(reply.content, "partial", "text that arrived is kept");
  assert.deepEqual(reply.error, { code: "interrupted", message: INTERRUPTED_MESSAGE });
  assert.equal(streams.length, 1, "the message is not sent again");

  for (let i = 0; i < 50 && store.getState().current!.messages.at(-1)!.error; i++)
    await new Promise((r) => setTimeout(r, 1));
  assert.deepEqual(waits, [1, 2], "asked again until the runner answered");
  assert.equal(asked, 3);
  assert.deepEqual(
    store.getState().current!.messages.at(-1),
    stored,
    "the runner's stored reply replaces it",
  );
  assert.equal(streams.length, 1);
});

/** A store on an empty conversation, with a turn sent and its snapshot in. */
async function startedTurn() {
  const frames = manualFrames();
  const { bridge, streams } = streamBridge({
    "chat.list": () => [],
    "models.list": () => ({ models: [], diskUsageBytes: 0, storageDir: "/x" }),
    "chat.get": () => conversation(),
  });
  const store = createChatStore(bridge, { scheduleFrame: frames.schedule });
  await store.getState().open("c1");
  store.getState().send("hi");
  const turn = streams[0]!;
  turn.emit({ kind: "snapshot", data: { conversation: conversation([user]), replyId: "r1" } });
  return { frames, store, turn };
}

test("a finished reply is counted once for the screen reader's announcement, tokens are not", async () => {
  const { frames, store, turn } = await startedTurn();
  for (let i = 0; i < 5; i++) turn.emit({ kind: "delta", data: { type: "text", text: "x" } });
  frames.run();
  assert.equal(store.getState().finishedReplies, 0);
  turn.emit({ kind: "delta", data: { type: "done", message: { ...stored, content: "xxxxx" } } });
  assert.equal(store.getState().finishedReplies, 1);
});

test("a thinking model's reasoning streams apart from the text, and an interrupted reply keeps both", async () => {
  const { frames, store, turn } = await startedTurn();
  turn.emit({ kind: "delta", data: { type: "thinking", text: "I should " } });
  turn.emit({ kind: "delta", data: { type: "thinking", text: "greet." } });
  frames.run();
  assert.deepEqual(
    { text: store.getState().streaming?.text, thinking: store.getState().streaming?.thinking },
    { text: "", thinking: "I should greet." },
  );
  turn.emit({ kind: "delta", data: { type: "text", text: "Hel" } });
  turn.emit({ kind: "error", error: { code: "unavailable", message: "connection to the runner was lost" } });
  const reply = store.getState().current!.messages.at(-1)!;
  assert.equal(reply.content, "Hel");
  assert.equal(reply.thinking, "I should greet.");
});
