import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TurnDelta } from "../../contract/chat.ts";
import { ConversationStore } from "./conversation-store.ts";
import { ChatService } from "./chat-service.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hangar-chat-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function runTurn(chat: ChatService, params: Parameters<ChatService["startTurn"]>[0]) {
  const deltas: TurnDelta[] = [];
  const turn = await chat.startTurn(params, (d) => deltas.push(d));
  await turn.finished;
  return { turn, deltas };
}

test("a stopped runner fails the turn with a retryable error that is stored with the reply", async () => {
  const store = await ConversationStore.open(dir);
  const chat = new ChatService({ store, engine: () => null });
  const c = await store.create({ model: "ai/tiny" });
  const { turn, deltas } = await runTurn(chat, { conversationId: c.id, action: "send", content: "Hello?" });
  assert.equal(turn.snapshot.conversation.messages.at(-1)?.content, "Hello?");
  assert.equal(turn.snapshot.conversation.title, "Hello?", "the first message names a new conversation");
  const last = deltas.at(-1);
  assert.equal(last?.type, "error");
  assert.equal(last?.type === "error" && last.error.code, "runner_stopped");
  const stored = await store.get(c.id);
  assert.deepEqual(
    stored.messages.map((m) => m.role),
    ["user", "assistant"],
  );
  assert.equal(stored.messages[1]?.error?.code, "runner_stopped");
  assert.ok(!chat.isRunning(c.id));
});

test("a conversation without a model says to pick one", async () => {
  const store = await ConversationStore.open(dir);
  // The engine is never reached: the model check comes before any generation.
  const chat = new ChatService({ store, engine: () => ({}) as never });
  const c = await store.create();
  const { deltas } = await runTurn(chat, { conversationId: c.id, action: "send", content: "hi" });
  const last = deltas.at(-1);
  assert.equal(last?.type === "error" && last.error.code, "no_model");
  assert.ok(!chat.isRunning(c.id));
});

test("stopAll (the runner stopping) ends every running turn as stopped, keeping its text", async () => {
  const store = await ConversationStore.open(dir);
  // An engine that writes until it is told to stop, as a long reply does.
  const engine = {
    async *chat(_request: unknown, signal: AbortSignal) {
      while (!signal.aborted) {
        yield { type: "delta" as const, text: "word " };
        await new Promise((r) => setTimeout(r, 1));
      }
    },
  };
  const chat = new ChatService({ store, engine: () => engine as never });
  const a = await store.create({ model: "ai/tiny" });
  const b = await store.create({ model: "ai/tiny" });
  const texts: string[] = [];
  const turns = await Promise.all(
    [a, b].map((c) =>
      chat.startTurn({ conversationId: c.id, action: "send", content: "go on" }, (d) => {
        if (d.type === "text") texts.push(d.text);
      }),
    ),
  );
  while (texts.length < 4) await new Promise((r) => setTimeout(r, 1));
  chat.stopAll();
  const replies = await Promise.all(turns.map((t) => t.finished));
  for (const reply of replies) {
    assert.equal(reply.figures?.finishReason, "cancelled");
    assert.match(reply.content, /^(word )+$/);
    assert.equal(reply.error, undefined);
  }
  assert.ok(!chat.isRunning(a.id) && !chat.isRunning(b.id));
});
