import { test } from "node:test";
import assert from "node:assert/strict";
import type { ConversationMessage, TurnParams } from "../../contract/chat.ts";
import {
  TurnRequestError,
  appendReply,
  applyAction,
  readStored,
  selectVersion,
  toConversation,
  type StoredConversation,
} from "./conversation-tree.ts";

const msg = (id: string, role: "user" | "assistant", content = id): ConversationMessage => ({
  id,
  role,
  content,
  createdAt: "",
});

/** A conversation file as written before versions: one list of messages. */
const oldFile = {
  id: "c",
  title: "t",
  model: "m",
  createdAt: "",
  updatedAt: "",
  messageCount: 4,
  systemPrompt: "",
  parameters: {},
  messages: [msg("u1", "user"), msg("a1", "assistant"), msg("u2", "user"), msg("a2", "assistant")],
};

const shown = (c: StoredConversation) => toConversation(c).messages.map((m) => m.id);
const turn = (params: Omit<TurnParams, "conversationId">): TurnParams => ({ conversationId: "c", ...params });

test("a conversation file from before versions opens as one branch, unchanged", () => {
  const stored = readStored(structuredClone(oldFile), "c")!;
  assert.deepEqual(toConversation(stored), oldFile);
  assert.equal(readStored({ ...oldFile, id: "other" }, "c"), null, "a file under the wrong name");
  assert.equal(readStored({ id: "c" }, "c"), null, "no messages at all");
  assert.equal(readStored("text", "c"), null);
});

test("regenerate keeps the earlier reply as version 1 of 2", () => {
  const start = readStored(structuredClone(oldFile), "c")!;
  const cut = applyAction(start, turn({ action: "regenerate" }));
  assert.deepEqual(shown(cut), ["u1", "a1", "u2"], "the turn's snapshot ends at the question");
  const done = appendReply(cut, msg("a2b", "assistant"), cut.leafId);
  const view = toConversation(done);
  assert.deepEqual(shown(done), ["u1", "a1", "u2", "a2b"]);
  assert.deepEqual(view.messages[3]!.versions, ["a2", "a2b"]);
  assert.equal(view.messages[2]!.versions, undefined, "one version: nothing to switch");
  assert.deepEqual(shown(selectVersion(done, "a2")), ["u1", "a1", "u2", "a2"]);
});

test("edit branches: the earlier message and everything after it stay a version away", () => {
  const start = readStored(structuredClone(oldFile), "c")!;
  const edited = applyAction(start, turn({ action: "edit", messageId: "u1", content: "uno" }));
  const newId = edited.leafId!;
  assert.deepEqual(
    toConversation(edited).messages.map((m) => [m.content, m.versions]),
    [["uno", ["u1", newId]]],
  );
  const answered = appendReply(edited, msg("b1", "assistant"), newId);
  assert.deepEqual(shown(answered), [newId, "b1"]);
  // Back to the first version: the old branch as it was, all four messages.
  assert.deepEqual(shown(selectVersion(answered, "u1")), ["u1", "a1", "u2", "a2"]);
  // And forward again: the newest continuation of the new version.
  assert.deepEqual(shown(selectVersion(answered, newId)), [newId, "b1"]);
  assert.equal(answered.nodes.length, 6, "nothing was deleted");
});

test("a retried failure without text takes the failed reply's place; a failure with text is kept", () => {
  const base = readStored({ ...oldFile, messages: oldFile.messages.slice(0, 3) }, "c")!;
  const failed = { ...msg("f", "assistant", ""), error: { code: "internal" as const, message: "x" } };
  const withFailure = appendReply(base, failed, "u2");
  const retried = applyAction(withFailure, turn({ action: "regenerate" }));
  assert.ok(!retried.nodes.some((n) => n.id === "f"));
  const partial = appendReply(base, { ...failed, content: "half an answer" }, "u2");
  const retriedPartial = applyAction(partial, turn({ action: "regenerate" }));
  assert.ok(
    retriedPartial.nodes.some((n) => n.id === "f"),
    "text that arrived stays a version",
  );
});

test("bad actions are refused with a reason", () => {
  const start = readStored(structuredClone(oldFile), "c")!;
  assert.throws(
    () => applyAction(start, turn({ action: "edit", messageId: "a1", content: "x" })),
    TurnRequestError,
  );
  assert.throws(
    () => applyAction(start, turn({ action: "edit", messageId: "u1", content: " " })),
    TurnRequestError,
  );
  assert.throws(() => applyAction(start, turn({ action: "send", content: "" })), TurnRequestError);
  const empty = readStored({ ...oldFile, messages: [] }, "c")!;
  assert.throws(() => applyAction(empty, turn({ action: "regenerate" })), TurnRequestError);
  assert.throws(() => selectVersion(start, "nope"), TurnRequestError);
});

test("send names a new conversation after its first message", () => {
  const empty = readStored({ ...oldFile, title: "New chat", messages: [] }, "c")!;
  const sent = applyAction(empty, turn({ action: "send", content: "How do hangars work?\nmore" }));
  assert.equal(sent.title, "How do hangars work?");
  assert.equal(toConversation(sent).messages[0]!.content, "How do hangars work?\nmore");
});
