// Chat turns through the real engine: the scheduler with an inference worker running node-llama-cpp
// on a generated model, conversations stored in a temp folder.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TurnDelta, TurnParams } from "../../contract/chat.ts";
import { Scheduler } from "../engine/scheduler.ts";
import { generateModels, MemoryLogger, type GeneratedModels } from "../../../testkit/generated-models.ts";
import { ConversationStore } from "./conversation-store.ts";
import { ChatService, TurnConflictError } from "./chat-service.ts";

describe("ChatService on a real engine", () => {
  let models: GeneratedModels;
  let engine: Scheduler;
  let dir: string;
  let store: ConversationStore;
  let chat: ChatService;

  before(async () => {
    models = await generateModels({ "tiny:chat": { seed: 3 } });
    engine = new Scheduler({
      resolveModel: models.resolveModel,
      logger: new MemoryLogger(),
      settings: { threads: 2, gpu: false, contextSize: 512, parallel: 2 },
    });
    dir = await mkdtemp(join(tmpdir(), "hangar-chat-engine-"));
    store = await ConversationStore.open(dir);
    chat = new ChatService({ store, engine: () => engine, models: { resolve: models.resolveModel } });
  });
  after(async () => {
    await engine?.close();
    await models?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function turn(params: TurnParams, stopAfterPieces?: number) {
    const deltas: TurnDelta[] = [];
    // Deltas can come before startTurn resolves, so the handle is reached through a holder.
    const holder: { turn?: Awaited<ReturnType<ChatService["startTurn"]>> } = {};
    let pieces = 0;
    const running = await chat.startTurn(params, (d) => {
      deltas.push(d);
      if (d.type === "text" && stopAfterPieces !== undefined && ++pieces >= stopAfterPieces)
        holder.turn?.stop();
    });
    holder.turn = running;
    const reply = await running.finished;
    return { deltas, reply, snapshot: running.snapshot };
  }

  const settings = { temperature: 0, seed: 1, maxTokens: 6 };

  test("send streams loading, text deltas, then done with figures, and stores the reply", async () => {
    const c = await store.create({ model: "tiny:chat", parameters: settings, systemPrompt: "Be brief." });
    const { deltas, reply } = await turn({ conversationId: c.id, action: "send", content: "hello world" });
    assert.equal(deltas[0]?.type, "loading", "the first message loads the model");
    const texts = deltas.filter((d) => d.type === "text");
    assert.ok(texts.length > 1, "the reply arrives in several deltas");
    const last = deltas.at(-1);
    assert.equal(last?.type, "done");
    assert.equal(reply.content, texts.map((d) => (d.type === "text" ? d.text : "")).join(""));
    assert.ok(reply.figures && reply.figures.completionTokens > 0 && reply.figures.promptTokens > 0);
    assert.ok(reply.figures.tokensPerSecond > 0);
    const stored = await store.get(c.id);
    assert.deepEqual(
      stored.messages.map((m) => [m.role, m.content]),
      [
        ["user", "hello world"],
        ["assistant", reply.content],
      ],
    );
  });

  test("regenerate and edit keep the earlier reply and branch as versions", async () => {
    const c = await store.create({ model: "tiny:chat", parameters: settings });
    const first = await turn({ conversationId: c.id, action: "send", content: "one" });
    await turn({ conversationId: c.id, action: "send", content: "two" });
    assert.equal((await store.get(c.id)).messages.length, 4);

    const before = (await store.get(c.id)).messages[3]!;
    const again = await turn({ conversationId: c.id, action: "regenerate" });
    const afterRegenerate = await store.get(c.id);
    assert.equal(afterRegenerate.messages.length, 4);
    assert.equal(afterRegenerate.messages[3]?.id, again.reply.id);
    assert.deepEqual(afterRegenerate.messages[3]?.versions, [before.id, again.reply.id]);
    assert.deepEqual(again.reply.versions, [before.id, again.reply.id], "the done delta says 2 of 2");

    const edited = await turn({
      conversationId: c.id,
      action: "edit",
      messageId: afterRegenerate.messages[0]!.id,
      content: "one",
    });
    assert.equal(edited.snapshot.conversation.messages.length, 1);
    const afterEdit = await store.get(c.id);
    assert.deepEqual(
      afterEdit.messages.map((m) => m.content),
      ["one", edited.reply.content],
    );
    // Same history, seed and temperature 0: the same answer as the first time.
    assert.equal(edited.reply.content, first.reply.content);
    assert.equal(afterEdit.messages[0]!.versions?.length, 2);
    // The earlier branch is all there: its four messages, with the regenerated reply on show.
    const back = await chat.selectVersion(c.id, afterEdit.messages[0]!.versions![0]!);
    assert.deepEqual(
      back.messages.map((m) => m.id),
      afterRegenerate.messages.map((m) => m.id),
    );
  });

  test("stop keeps the text so far, marked as stopped; a second turn meanwhile is refused", async () => {
    const c = await store.create({ model: "tiny:chat", parameters: { ...settings, maxTokens: 200 } });
    const pending = turn({ conversationId: c.id, action: "send", content: "tell me more" }, 3);
    await new Promise((r) => setTimeout(r, 0));
    await assert.rejects(
      chat.startTurn({ conversationId: c.id, action: "regenerate" }, () => {}),
      TurnConflictError,
    );
    const { reply, deltas } = await pending;
    assert.equal(reply.figures?.finishReason, "cancelled");
    assert.ok(reply.content.length > 0, "the partial reply is kept");
    assert.ok(deltas.filter((d) => d.type === "text").length < 200);
    assert.equal((await store.get(c.id)).messages.at(-1)?.content, reply.content);
  });

  test("a model that is not installed fails with model_missing, and a retry works once it is fixed", async () => {
    const c = await store.create({ model: "tiny:absent", parameters: settings });
    const failed = await turn({ conversationId: c.id, action: "send", content: "hi" });
    assert.equal(failed.reply.error?.code, "model_missing");
    assert.match(failed.reply.error?.message ?? "", /not installed/);
    await store.update(c.id, { model: "tiny:chat" });
    const retried = await turn({ conversationId: c.id, action: "regenerate" });
    assert.equal(retried.reply.error, undefined);
    const messages = (await store.get(c.id)).messages;
    assert.deepEqual(
      messages.map((m) => m.role),
      ["user", "assistant"],
    );
  });
});
