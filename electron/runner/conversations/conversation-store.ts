/**
 * Conversations on disk: one JSON file per conversation under $HANGAR_HOME/conversations, plus
 * index.json with the summaries so the list opens without reading every file. The index is derived
 * data: when it is missing or unreadable it is rebuilt from the conversation files. Each file holds
 * every version of every message (conversation-tree.ts); files from before versions are read as one
 * branch and written in the new form on their next change.
 */
import { mkdir, readFile, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import {
  NEW_CONVERSATION_TITLE,
  type ChatParameters,
  type Conversation,
  type ConversationSearchHit,
  type ConversationSummary,
} from "../../contract/chat.ts";
import { writeFileAtomic } from "../fs/atomic-file.ts";
import { chain, readStored, toConversation, type StoredConversation } from "./conversation-tree.ts";

export const DEFAULT_TITLE = NEW_CONVERSATION_TITLE;
const INDEX_FILE = "index.json";
const ID_PATTERN = /^[A-Za-z0-9-]{1,100}$/;

export class ConversationNotFoundError extends Error {
  readonly code = "not_found";
  constructor(readonly id: string) {
    super(`conversation "${id}" does not exist (it may have been deleted)`);
    this.name = "ConversationNotFoundError";
  }
}

export interface ConversationInit {
  title?: string;
  model?: string | null;
  systemPrompt?: string;
  parameters?: ChatParameters;
}

export interface ConversationPatch extends ConversationInit {
  title?: string;
}

export class ConversationStore {
  private readonly cache = new Map<string, StoredConversation>();
  private summaries = new Map<string, ConversationSummary>();
  /** Mutations run one at a time so the index and the files never disagree. */
  private queue: Promise<unknown> = Promise.resolve();
  private allLoaded = false;

  private constructor(
    readonly dir: string,
    private readonly now: () => Date,
  ) {}

  /** Opens (creating it if needed) the store in `dir`, e.g. join(hangarHome(), "conversations"). */
  static async open(dir: string, options: { now?: () => Date } = {}): Promise<ConversationStore> {
    await mkdir(dir, { recursive: true });
    const store = new ConversationStore(dir, options.now ?? (() => new Date()));
    await store.loadIndex();
    return store;
  }

  /** Newest first. A query matches titles and message content, case-insensitively. */
  async list(query?: string): Promise<ConversationSearchHit[]> {
    const needle = query?.trim().toLowerCase() ?? "";
    const sorted = [...this.summaries.values()].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    if (!needle) return sorted.map((s) => ({ ...s, excerpt: null }));
    await this.loadAll();
    const hits: ConversationSearchHit[] = [];
    for (const summary of sorted) {
      const titleHit = summary.title.toLowerCase().includes(needle);
      const conversation = this.cache.get(summary.id);
      let excerpt: string | null = null;
      // Every version counts: an earlier reply is still the user's.
      for (const message of conversation?.nodes ?? []) {
        const at = message.content.toLowerCase().indexOf(needle);
        if (at >= 0) {
          excerpt = excerptAround(message.content, at, needle.length);
          break;
        }
      }
      if (titleHit || excerpt !== null) hits.push({ ...summary, excerpt });
    }
    return hits;
  }

  async get(id: string): Promise<Conversation> {
    return toConversation(structuredClone(await this.load(id)));
  }

  create(init: ConversationInit = {}): Promise<Conversation> {
    return this.serialize(async () => {
      const time = this.now().toISOString();
      const conversation: StoredConversation = {
        format: 2,
        id: randomUUID(),
        title: init.title?.trim() || DEFAULT_TITLE,
        model: init.model ?? null,
        createdAt: time,
        updatedAt: time,
        messageCount: 0,
        systemPrompt: init.systemPrompt ?? "",
        parameters: { ...init.parameters },
        nodes: [],
        leafId: null,
      };
      return this.write(conversation);
    });
  }

  update(id: string, patch: ConversationPatch): Promise<Conversation> {
    return this.serialize(async () => {
      const current = await this.load(id);
      const next: StoredConversation = {
        ...current,
        ...(patch.title !== undefined ? { title: patch.title.trim() || current.title } : {}),
        ...(patch.model !== undefined ? { model: patch.model } : {}),
        ...(patch.systemPrompt !== undefined ? { systemPrompt: patch.systemPrompt } : {}),
        ...(patch.parameters !== undefined ? { parameters: { ...patch.parameters } } : {}),
        updatedAt: this.now().toISOString(),
      };
      return this.write(next);
    });
  }

  /** Changes a conversation's messages and their versions (the chat service's way to record a turn). */
  changeMessages(
    id: string,
    change: (stored: StoredConversation) => StoredConversation,
  ): Promise<Conversation> {
    return this.serialize(async () => {
      const next = change(structuredClone(await this.load(id)));
      return this.write({ ...next, updatedAt: this.now().toISOString() });
    });
  }

  /** Replaces a conversation's messages with one branch, earlier versions dropped (imports, seeds). */
  replaceMessages(
    id: string,
    change: (
      conversation: Conversation,
    ) => Pick<Conversation, "messages"> & Partial<Pick<Conversation, "title">>,
  ): Promise<Conversation> {
    return this.serialize(async () => {
      const current = await this.load(id);
      const { messages, title } = change(toConversation(structuredClone(current)));
      const nodes = chain(messages);
      return this.write({
        ...current,
        title: title ?? current.title,
        nodes,
        leafId: nodes.at(-1)?.id ?? null,
        updatedAt: this.now().toISOString(),
      });
    });
  }

  delete(id: string): Promise<void> {
    return this.serialize(async () => {
      if (!this.summaries.has(id)) throw new ConversationNotFoundError(id);
      this.summaries.delete(id);
      this.cache.delete(id);
      // Index first: a crash between the two steps leaves an unlisted file (harmless), never a listed
      // conversation whose file is gone.
      await this.writeIndex();
      await rm(this.file(id), { force: true });
    });
  }

  private file(id: string): string {
    if (!ID_PATTERN.test(id)) throw new ConversationNotFoundError(id);
    return join(this.dir, `${id}.json`);
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async load(id: string): Promise<StoredConversation> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    if (!this.summaries.has(id)) throw new ConversationNotFoundError(id);
    const conversation = await this.readConversation(id);
    if (!conversation) throw new ConversationNotFoundError(id);
    this.cache.set(id, conversation);
    return conversation;
  }

  private async loadAll(): Promise<void> {
    if (this.allLoaded) return;
    for (const id of this.summaries.keys()) await this.load(id).catch(() => undefined);
    this.allLoaded = true;
  }

  /** Writes the file and the index; resolves with what the API shows. */
  private async write(stored: StoredConversation): Promise<Conversation> {
    const conversation = toConversation(stored);
    const next = { ...stored, messageCount: conversation.messageCount };
    await writeFileAtomic(this.file(stored.id), JSON.stringify(next, null, 1), 0o600);
    this.cache.set(stored.id, next);
    this.summaries.set(stored.id, summarize(conversation));
    await this.writeIndex();
    return structuredClone(conversation);
  }

  private writeIndex(): Promise<void> {
    const index = { version: 1, conversations: [...this.summaries.values()] };
    return writeFileAtomic(join(this.dir, INDEX_FILE), JSON.stringify(index), 0o600);
  }

  private async readConversation(id: string): Promise<StoredConversation | null> {
    try {
      return readStored(JSON.parse(await readFile(this.file(id), "utf8")), id);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw new Error(`conversation file ${this.file(id)} is unreadable: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  private async loadIndex(): Promise<void> {
    try {
      const parsed = JSON.parse(await readFile(join(this.dir, INDEX_FILE), "utf8")) as {
        conversations?: ConversationSummary[];
      };
      if (!Array.isArray(parsed.conversations)) throw new Error("index without conversations");
      this.summaries = new Map(parsed.conversations.map((s) => [s.id, s]));
    } catch {
      await this.rebuildIndex();
    }
  }

  private async rebuildIndex(): Promise<void> {
    this.summaries.clear();
    for (const name of await readdir(this.dir)) {
      const id = name.endsWith(".json") ? name.slice(0, -5) : "";
      if (!ID_PATTERN.test(id)) continue;
      const conversation = await this.readConversation(id).catch(() => null);
      if (conversation) {
        this.cache.set(id, conversation);
        this.summaries.set(id, summarize(toConversation(conversation)));
      }
    }
    await this.writeIndex();
  }
}

function summarize(c: Conversation): ConversationSummary {
  return {
    id: c.id,
    title: c.title,
    model: c.model,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    messageCount: c.messages.length,
  };
}

function excerptAround(text: string, at: number, length: number): string {
  const start = Math.max(0, at - 40);
  const end = Math.min(text.length, at + length + 60);
  return `${start > 0 ? "…" : ""}${text.slice(start, end).replace(/\s+/g, " ")}${end < text.length ? "…" : ""}`;
}
