import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConversationStore, ConversationNotFoundError, DEFAULT_TITLE } from "./conversation-store.ts";
import { appendReply, applyAction } from "./conversation-tree.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hangar-conversations-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const message = (role: "user" | "assistant", content: string) => ({
  id: `${role}-${content.length}-${Math.random().toString(36).slice(2)}`,
  role,
  content,
  createdAt: new Date().toISOString(),
});

test("conversations survive reopening: create, rename, settings, messages", async () => {
  const store = await ConversationStore.open(dir);
  const created = await store.create({ model: "ai/tiny:latest", parameters: { temperature: 0.2 } });
  assert.equal(created.title, DEFAULT_TITLE);
  await store.update(created.id, {
    title: "Rust questions",
    systemPrompt: "Be brief.",
    parameters: { seed: 7 },
  });
  await store.replaceMessages(created.id, () => ({ messages: [message("user", "hello there")] }));

  const reopened = await ConversationStore.open(dir);
  const loaded = await reopened.get(created.id);
  assert.equal(loaded.title, "Rust questions");
  assert.equal(loaded.systemPrompt, "Be brief.");
  assert.deepEqual(loaded.parameters, { seed: 7 });
  assert.equal(loaded.model, "ai/tiny:latest");
  assert.equal(loaded.messages[0]?.content, "hello there");
  const [summary] = await reopened.list();
  assert.equal(summary?.messageCount, 1);
});

test("delete removes the conversation and its file", async () => {
  const store = await ConversationStore.open(dir);
  const a = await store.create({ title: "a" });
  const b = await store.create({ title: "b" });
  await store.delete(a.id);
  assert.deepEqual(
    (await store.list()).map((c) => c.id),
    [b.id],
  );
  await assert.rejects(store.get(a.id), ConversationNotFoundError);
  await assert.rejects(store.delete(a.id), ConversationNotFoundError);
  assert.ok(!(await readdir(dir)).includes(`${a.id}.json`));
  const reopened = await ConversationStore.open(dir);
  assert.equal((await reopened.list()).length, 1);
});

test("search matches titles and content, case-insensitively, with an excerpt", async () => {
  const store = await ConversationStore.open(dir);
  const cooking = await store.create({ title: "Cooking" });
  const code = await store.create({ title: "Code review" });
  await store.replaceMessages(code.id, () => ({
    messages: [message("user", "Why does my Borrow Checker complain about this loop?")],
  }));
  const byTitle = await store.list("cook");
  assert.deepEqual(
    byTitle.map((h) => h.id),
    [cooking.id],
  );
  const byContent = await store.list("borrow checker");
  assert.deepEqual(
    byContent.map((h) => h.id),
    [code.id],
  );
  assert.match(byContent[0]!.excerpt ?? "", /Borrow Checker/);
  assert.deepEqual(await store.list("nothing like this"), []);
});

test("a lost or corrupt index is rebuilt from the conversation files", async () => {
  const store = await ConversationStore.open(dir);
  const c = await store.create({ title: "kept" });
  await writeFile(join(dir, "index.json"), "{ torn");
  const reopened = await ConversationStore.open(dir);
  assert.deepEqual(
    (await reopened.list()).map((x) => x.title),
    ["kept"],
  );
  assert.equal((await reopened.get(c.id)).title, "kept");
});

test("concurrent writes are serialized and leave no temp files behind", async () => {
  const store = await ConversationStore.open(dir);
  const c = await store.create();
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      store.replaceMessages(c.id, (cur) => ({ messages: [...cur.messages, message("user", `m${i}`)] })),
    ),
  );
  assert.equal((await store.get(c.id)).messages.length, 20);
  const names = await readdir(dir);
  assert.deepEqual(
    names.filter((n) => n.endsWith(".tmp")),
    [],
  );
  const onDisk = JSON.parse(await readFile(join(dir, `${c.id}.json`), "utf8")) as { nodes: unknown[] };
  assert.equal(onDisk.nodes.length, 20);
});

test("a conversation saved before versions opens, changes and is found by search", async () => {
  const old = {
    id: "0b4c9f3e-old",
    title: "From last year",
    model: "ai/tiny",
    createdAt: "2025-01-01T00:00:00.000Z",
    updatedAt: "2025-01-01T00:00:00.000Z",
    messageCount: 2,
    systemPrompt: "",
    parameters: {},
    messages: [message("user", "what is a hangar?"), message("assistant", "a shed for aircraft")],
  };
  await writeFile(join(dir, `${old.id}.json`), JSON.stringify(old));
  const store = await ConversationStore.open(dir);
  assert.deepEqual(await store.get(old.id), old);
  // Replaced by a regenerated reply: the old one is still found, as a version.
  await store.changeMessages(old.id, (c) => {
    const cut = applyAction(c, { conversationId: old.id, action: "regenerate" });
    return appendReply(cut, message("assistant", "a big garage"), cut.leafId);
  });
  const reopened = await ConversationStore.open(dir);
  const now = await reopened.get(old.id);
  assert.deepEqual(
    now.messages.map((m) => [m.content, m.versions?.length]),
    [
      ["what is a hangar?", undefined],
      ["a big garage", 2],
    ],
  );
  assert.equal((await reopened.list("shed for aircraft")).length, 1);
});

test("ids that could escape the folder are refused", async () => {
  const store = await ConversationStore.open(dir);
  await assert.rejects(store.get("../../etc/passwd"), ConversationNotFoundError);
});
