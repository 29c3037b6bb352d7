/**
 * A conversation as stored: every message ever written or received, each linked to the one it follows,
 * so editing a message branches and regenerating keeps the earlier reply (as LM Studio and ChatGPT do).
 * The branch on show runs from the first message to `leafId`; a message's siblings (same parent) are
 * its versions. Files from before branches (a plain `messages` list) are read as a single branch.
 */
import { randomUUID } from "node:crypto";
import {
  NEW_CONVERSATION_TITLE,
  type Conversation,
  type ConversationMessage,
  type TurnParams,
} from "../../contract/chat.ts";

export type StoredMessage = Omit<ConversationMessage, "versions"> & { parentId: string | null };

export interface StoredConversation extends Omit<Conversation, "messages"> {
  format: 2;
  /** Every message, in the order they were made (a message's versions are in that order too). */
  nodes: StoredMessage[];
  /** The last message of the branch on show; null while there is none. */
  leafId: string | null;
}

export class TurnRequestError extends Error {
  readonly code = "invalid_request";
}

/** Reads a parsed conversation file of either format; null when it is not a conversation. */
export function readStored(raw: unknown, id: string): StoredConversation | null {
  if (typeof raw !== "object" || raw === null) return null;
  const file = raw as Partial<StoredConversation> & { messages?: unknown };
  if (file.id !== id) return null;
  if (file.format === 2 && Array.isArray(file.nodes)) return file as StoredConversation;
  if (!Array.isArray(file.messages)) return null;
  // Before branches: one list, each message following the one before it.
  const { messages, ...rest } = file as Conversation;
  const nodes = chain(messages);
  return { ...rest, format: 2, nodes, leafId: nodes.at(-1)?.id ?? null };
}

/** A single branch made of `messages`, in order. */
export function chain(messages: ConversationMessage[]): StoredMessage[] {
  return messages.map(({ versions: _versions, ...m }, i) => ({
    ...m,
    parentId: messages[i - 1]?.id ?? null,
  }));
}

/** The branch on show, first message first. */
export function activePath(c: StoredConversation): StoredMessage[] {
  const byId = new Map(c.nodes.map((n) => [n.id, n]));
  const path: StoredMessage[] = [];
  for (let node = c.leafId ? byId.get(c.leafId) : undefined; node;) {
    path.unshift(node);
    node = node.parentId === null ? undefined : byId.get(node.parentId);
    if (path.length > c.nodes.length) break; // a damaged file with a cycle
  }
  return path;
}

const siblingsOf = (c: StoredConversation, parentId: string | null) =>
  c.nodes.filter((n) => n.parentId === parentId);

/** What the API shows: the branch on show, each message with its versions when it has several. */
export function toConversation(c: StoredConversation): Conversation {
  const { nodes: _nodes, leafId: _leaf, format: _format, ...summary } = c;
  const messages = activePath(c).map(({ parentId, ...m }): ConversationMessage => {
    const versions = siblingsOf(c, parentId).filter((n) => n.role === m.role);
    return versions.length > 1 ? { ...m, versions: versions.map((n) => n.id) } : m;
  });
  return { ...summary, messages, messageCount: messages.length };
}

/** Shows `messageId` and, below it, the newest continuation of each following message. */
export function selectVersion(c: StoredConversation, messageId: string): StoredConversation {
  let leaf = c.nodes.find((n) => n.id === messageId);
  if (!leaf) throw new TurnRequestError(`no message "${messageId}" in this conversation`);
  for (let child = newestChild(c, leaf.id); child; child = newestChild(c, child.id)) leaf = child;
  return { ...c, leafId: leaf.id };
}

const newestChild = (c: StoredConversation, id: string) => siblingsOf(c, id).at(-1);

/** Adds a finished reply under `parentId` and shows it. */
export function appendReply(c: StoredConversation, reply: ConversationMessage, parentId: string | null) {
  const { versions: _versions, ...message } = reply;
  return { ...c, nodes: [...c.nodes, { ...message, parentId }], leafId: reply.id };
}

/**
 * The conversation as it should be before generating: a new message (send), the branch cut back to
 * the last user message with the earlier reply kept as a version (regenerate), or a new version of a
 * user message (edit). Throws TurnRequestError on a bad action.
 */
export function applyAction(c: StoredConversation, params: TurnParams): StoredConversation {
  const path = activePath(c);
  const time = new Date().toISOString();
  switch (params.action) {
    case "send": {
      if (!params.content?.trim()) throw new TurnRequestError("send needs a non-empty message");
      const user = { id: randomUUID(), role: "user" as const, content: params.content, createdAt: time };
      const title =
        c.title === NEW_CONVERSATION_TITLE && path.length === 0 ? titleFrom(params.content) : c.title;
      return { ...c, title, nodes: [...c.nodes, { ...user, parentId: c.leafId }], leafId: user.id };
    }
    case "regenerate": {
      const last = path.findLast((m) => m.role === "user");
      if (!last) throw new TurnRequestError("there is no user message to answer");
      // A failed reply without text (and nothing after it) holds nothing anyone received: the retry
      // takes its place.
      const failed = new Set(
        c.nodes
          .filter((n) => n.parentId === last.id && n.error && !n.content)
          .filter((n) => !c.nodes.some((child) => child.parentId === n.id))
          .map((n) => n.id),
      );
      return { ...c, nodes: c.nodes.filter((n) => !failed.has(n.id)), leafId: last.id };
    }
    case "edit": {
      const edited = path.find((m) => m.id === params.messageId);
      if (!edited || edited.role !== "user")
        throw new TurnRequestError(`no user message "${params.messageId ?? ""}" in this conversation`);
      if (!params.content?.trim()) throw new TurnRequestError("an edited message cannot be empty");
      const version = { ...edited, id: randomUUID(), content: params.content, createdAt: time };
      return { ...c, nodes: [...c.nodes, version], leafId: version.id };
    }
    default:
      return params.action satisfies never;
  }
}

function titleFrom(content: string): string {
  const line = content.trim().split("\n")[0]!.trim();
  return line.length > 60 ? `${line.slice(0, 57)}…` : line || NEW_CONVERSATION_TITLE;
}
