/**
 * The Chat screen's state: conversations, the open one, installed models, and the turn in flight
 * (streamed by chat-turn.ts).
 */
import { createStore, type StoreApi } from "zustand/vanilla";
import type { Bridge, ModelSummary } from "../../../../electron/contract/api.ts";
import {
  NEW_CONVERSATION_TITLE,
  type ChatParameters,
  type Conversation,
  type ConversationSearchHit,
  type TurnParams,
} from "../../../../electron/contract/chat.ts";
import { createTurns, type TurnDeps, type TurnState } from "./chat-turn.ts";

export type { StreamingReply } from "./chat-turn.ts";

export interface ChatState extends TurnState {
  conversations: ConversationSearchHit[];
  query: string;
  /** The model the first message of a new conversation uses (null: the first installed). */
  draftModel: string | null;
  /** Bumped when the message box should take the focus (after "New chat"). */
  composerFocus: number;
  /** Whether the conversation list is shown (it folds away to give a narrow window to the messages). */
  listOpen: boolean;
  /** Half-typed messages per conversation ("" for a new one), kept while the user goes elsewhere. */
  drafts: Record<string, string>;
  models: ModelSummary[];

  refresh(): Promise<void>;
  search(query: string): Promise<void>;
  open(id: string): Promise<void>;
  /** Opens the newest conversation unless the user has already opened or created one. */
  openNewest(): Promise<void>;
  /**
   * Opens a new conversation with `model`, else the open one's model, else the first installed. A new
   * conversation nobody has written in yet is reused (repeated clicks never pile up empty chats).
   */
  create(model?: string | null): Promise<void>;
  rename(id: string, title: string): Promise<void>;
  /** Deletes a conversation; when it was open, the next in the list opens (else none). */
  remove(id: string): Promise<void>;
  /** Keeps what is typed in the message box for the open conversation. */
  setDraft(text: string): void;
  toggleList(): void;
  /** Changes the open conversation; with none open, `model` picks the one the first message uses. */
  configure(patch: {
    model?: string | null;
    systemPrompt?: string;
    parameters?: ChatParameters;
  }): Promise<void>;
  /** Sends in the open conversation; with none open, the message creates one first. */
  send(content: string): void;
  regenerate(): void;
  edit(messageId: string, content: string): void;
  /** Shows another version of a message (an earlier reply, an edited message's other text). */
  selectVersion(messageId: string): Promise<void>;
  stop(): Promise<void>;
  dismissError(): void;
  dispose(): void;
}

/** The open conversation's model; with none open, the one the first message will use. */
export function modelInUse(state: ChatState): string | null {
  return state.current ? state.current.model : (state.draftModel ?? state.models[0]?.ref ?? null);
}

/** The open conversation's half-typed message. */
export const draftOf = (state: ChatState): string => state.drafts[state.current?.id ?? ""] ?? "";

export interface ChatStoreOptions {
  /** Schedules a flush of pending deltas; requestAnimationFrame in the app, a manual queue in tests. */
  scheduleFrame?: (flush: () => void) => void;
  retryDelay?: TurnDeps["retryDelay"];
  /** Whether the conversation list starts shown (default: when the window is at least 1200 px wide). */
  listOpen?: boolean;
}

const wideWindow = () => typeof matchMedia !== "function" || matchMedia("(min-width: 1200px)").matches;

export type ChatStore = StoreApi<ChatState>;

export function createChatStore(bridge: Bridge, options: ChatStoreOptions = {}): ChatStore {
  const scheduleFrame =
    options.scheduleFrame ?? ((flush: () => void) => void requestAnimationFrame(() => flush()));
  // Opening and creating race (the screen opens the newest conversation while the user may already
  // be creating one): only the latest selection may set `current`.
  let selection = 0;
  // One "New chat" at a time: a burst of clicks (or key presses on the button) shares it.
  let creating: Promise<void> | null = null;
  // Lists asked for overlap (a slow models.list holds a refresh up): an older answer never replaces a
  // newer one.
  let listAsked = 0;
  let listShown = 0;

  return createStore<ChatState>()((set, get) => {
    const fail = (error: { code: string; message: string }) => set({ error });
    async function call<T>(
      promise: Promise<{ ok: true; value: T } | { ok: false; error: ChatState["error"] }>,
    ) {
      const result = await promise;
      if (!result.ok) {
        fail(result.error ?? { code: "internal", message: "unknown error" });
        return null;
      }
      return result.value;
    }

    const showList = async (query: string) => {
      const mine = ++listAsked;
      const list = await call(bridge.call("chat.list", query ? { query } : {}));
      if (!list || mine < listShown || get().query !== query) return;
      listShown = mine;
      set({ conversations: list });
    };

    /** The list row of a conversation that changed here, updated at once (the runner's list follows). */
    const showInList = (c: Conversation) => {
      const { conversations, query } = get();
      const at = conversations.findIndex((row) => row.id === c.id);
      if (at < 0 && query) return;
      const { messages: _messages, systemPrompt: _prompt, parameters: _parameters, ...summary } = c;
      const row = { ...summary, excerpt: conversations[at]?.excerpt ?? null };
      set({
        conversations: query
          ? conversations.with(at, row)
          : [row, ...conversations.filter((r) => r.id !== c.id)],
      });
    };

    const turns = createTurns({
      bridge,
      get,
      set,
      scheduleFrame,
      refresh: () => get().refresh(),
      showInList,
      ...(options.retryDelay ? { retryDelay: options.retryDelay } : {}),
    });
    const runTurn = (params: Omit<TurnParams, "conversationId">) => {
      const current = get().current;
      if (current && !turns.active()) turns.run(current.id, params);
    };

    /** A conversation still as "New chat" made it: no message, the default title. */
    const unused = (c: { title: string; messageCount: number }) =>
      c.messageCount === 0 && c.title === NEW_CONVERSATION_TITLE;

    const openUnused = async (requested: string | null | undefined) => {
      const { current, draftModel, models, conversations } = get();
      // The model of the open conversation or the one picked, while it is installed; else the first.
      const installed = (ref: string | null | undefined) => !!ref && models.some((m) => m.ref === ref);
      const model =
        requested ?? [current?.model, draftModel].find(installed) ?? models[0]?.ref ?? current?.model ?? null;
      const mine = ++selection;
      const candidate = current && unused(current) ? current : conversations.find(unused);
      let conversation: Conversation | null = null;
      if (candidate) {
        // The list may be behind (a message sent since, another window): ask the runner again.
        const fresh = await call(bridge.call("chat.get", { id: candidate.id }));
        if (fresh && unused(fresh))
          conversation =
            fresh.model === model ? fresh : await call(bridge.call("chat.update", { id: fresh.id, model }));
      }
      conversation ??= await call(bridge.call("chat.create", { model }));
      if (!conversation) return;
      if (mine === selection) set({ current: conversation, error: null });
      await get().refresh();
    };

    return {
      conversations: [],
      query: "",
      current: null,
      draftModel: null,
      composerFocus: 0,
      drafts: {},
      listOpen: options.listOpen ?? wideWindow(),
      models: [],
      streaming: null,
      error: null,
      finishedReplies: 0,

      async refresh() {
        const models = call(bridge.call("models.list", {})).then((m) => m && set({ models: m.models }));
        await Promise.all([showList(get().query), models]);
      },
      async search(query) {
        set({ query });
        await showList(query);
      },
      async open(id) {
        const mine = ++selection;
        const conversation = await call(bridge.call("chat.get", { id }));
        if (conversation && mine === selection) set({ current: conversation, error: null });
      },
      async openNewest() {
        const first = get().conversations[0];
        if (selection !== 0 || !first) return;
        await get().open(first.id);
      },
      create(requested) {
        set({ composerFocus: get().composerFocus + 1 });
        creating ??= openUnused(requested).finally(() => (creating = null));
        return creating;
      },
      async rename(id, title) {
        const conversation = await call(bridge.call("chat.update", { id, title }));
        if (conversation && get().current?.id === id) set({ current: conversation });
        await get().refresh();
      },
      async remove(id) {
        // A reply streaming in it ends with it (also when another conversation is open meanwhile).
        if (get().streaming?.conversationId === id) {
          turns.close();
          set({ streaming: null });
        }
        // The row below takes the deleted one's place (the one above for the last row), as in a mail app.
        const rows = get().conversations;
        const at = rows.findIndex((c) => c.id === id);
        const next = rows[at + 1] ?? rows[at - 1] ?? null;
        const done = await call(bridge.call("chat.delete", { id }));
        if (!done) return;
        const { [id]: _dropped, ...drafts } = get().drafts;
        set({ drafts, conversations: get().conversations.filter((c) => c.id !== id) });
        if (get().current?.id === id) {
          ++selection;
          set({ current: null, streaming: null });
          if (next && at >= 0) await get().open(next.id);
        }
        await get().refresh();
      },
      toggleList() {
        set({ listOpen: !get().listOpen });
      },
      setDraft(text) {
        const key = get().current?.id ?? "";
        set({ drafts: { ...get().drafts, [key]: text } });
      },
      async configure(patch) {
        // A "New chat" still on its way: what the user picks now is for that conversation.
        if (creating) await creating;
        const current = get().current;
        if (!current) {
          if (patch.model !== undefined) set({ draftModel: patch.model });
          return;
        }
        const conversation = await call(bridge.call("chat.update", { id: current.id, ...patch }));
        if (conversation) set({ current: conversation });
      },
      send(content) {
        if (!content.trim()) return;
        const { [get().current?.id ?? ""]: _sent, ...drafts } = get().drafts;
        set({ drafts });
        if (get().current) return runTurn({ action: "send", content });
        void get()
          .create()
          .then(() => runTurn({ action: "send", content }));
      },
      regenerate() {
        runTurn({ action: "regenerate" });
      },
      edit(messageId, content) {
        if (content.trim()) runTurn({ action: "edit", messageId, content });
      },
      async selectVersion(messageId) {
        const current = get().current;
        if (!current || turns.active()) return;
        const conversation = await call(bridge.call("chat.selectVersion", { id: current.id, messageId }));
        if (conversation && get().current?.id === current.id) set({ current: conversation });
        void get().refresh();
      },
      async stop() {
        const streaming = get().streaming;
        if (!streaming) return;
        // The runner stores the partial reply and ends the stream with it ("done", finish "cancelled").
        await call(bridge.call("chat.stop", { id: streaming.conversationId }));
      },
      dismissError() {
        set({ error: null });
      },
      dispose() {
        turns.close();
      },
    };
  });
}
