// The chat contract through the real dispatcher: validation, CRUD, and a turn stream's ordering.
import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Dispatcher, type AnyStreamEvent } from "./dispatcher.ts";
import { chatHandlers } from "./chat-handlers.ts";
import { ConversationStore } from "../conversations/conversation-store.ts";
import { ChatService } from "../conversations/chat-service.ts";

let dir: string;
let dispatcher: Dispatcher;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hangar-chat-bridge-"));
  const store = await ConversationStore.open(dir);
  // No engine: the runner is stopped, which every turn must report as a retryable error.
  dispatcher = new Dispatcher(chatHandlers({ store, chat: new ChatService({ store, engine: () => null }) }));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("create, rename, search and delete over the bridge; bad params are refused", async () => {
  const created = await dispatcher.call("chat.create", {
    model: "ai/tiny",
    parameters: { temperature: 0.5 },
  });
  assert.ok(created.ok);
  const id = (created.value as { id: string }).id;
  const renamed = await dispatcher.call("chat.update", { id, title: "Renamed" });
  assert.ok(renamed.ok && (renamed.value as { title: string }).title === "Renamed");
  const found = await dispatcher.call("chat.list", { query: "renam" });
  assert.ok(found.ok && (found.value as unknown[]).length === 1);
  const bad = await dispatcher.call("chat.update", { id, parameters: { temperature: 9 } });
  assert.ok(!bad.ok && bad.error.code === "invalid_request", JSON.stringify(bad));
  assert.ok((await dispatcher.call("chat.delete", { id })).ok);
  const gone = await dispatcher.call("chat.get", { id });
  assert.ok(!gone.ok && gone.error.code === "not_found");
});

test("a turn streams its snapshot first, then the outcome, then ends, numbered in order", async () => {
  const created = await dispatcher.call("chat.create", { model: "ai/tiny" });
  assert.ok(created.ok);
  const id = (created.value as { id: string }).id;
  const events: AnyStreamEvent[] = [];
  await new Promise<void>((resolve) => {
    dispatcher.subscribe("chat.turn", { conversationId: id, action: "send", content: "hi" }, (event) => {
      events.push(event);
      if (event.kind === "end" || event.kind === "error") resolve();
    });
  });
  assert.deepEqual(
    events.map((e) => [e.seq, e.kind]),
    [
      [0, "snapshot"],
      [1, "delta"],
      [2, "end"],
    ],
  );
  const outcome = events[1] as { data: { type: string; error: { code: string } } };
  assert.equal(outcome.data.type, "error");
  assert.equal(outcome.data.error.code, "runner_stopped");
});

test("a turn on a conversation that does not exist ends with not_found", async () => {
  const events: AnyStreamEvent[] = [];
  await new Promise<void>((resolve) => {
    dispatcher.subscribe("chat.turn", { conversationId: "nope", action: "regenerate" }, (event) => {
      events.push(event);
      resolve();
    });
  });
  assert.equal(events[0]?.kind, "error");
  assert.equal((events[0] as { error: { code: string } }).error.code, "not_found");
});
