/**
 * The Chat screen's state: conversations, the open one, installed models, and the turn in flight.
 * Token deltas are appended to a pending buffer and applied once per animation frame, so a 200 tok/s
 * stream costs ~60 renders a second, not 200.
 */
import { createStore, type StoreApi } from "zustand/vanilla";
import type { Bridge, ModelSummary, Unsubscribe } from "../../../../electron/contract/api.ts";
import {
  NEW_CONVERSATION_TITLE,
  type ChatError,
  type ChatParameters,
  type Conversation,
  type ConversationMessage,
  type ConversationSearchHit,
  type TurnParams,
} from "../../../../electron/contract/chat.ts";

export interface StreamingReply {
  conversationId: string;
  replyId: string;
  /** True from the engine's "loading" until the first token. */
  loading: boolean;
  /** How far the model's load is, 0 to 1, once the engine has said. */
  loadProgress?: number;
  text: string;
}

export interface ChatState {
  conversations: ConversationSearchHit[];
  query: string;
  /** The open conversation; null: a new one that the first message creates. */
  current: Conversation | null;
  /** The model the first message of a new conversation uses (null: the first installed). */
  draftModel: string | null;
  /** Bumped when the message box should take the focus (after "New chat"). */
  composerFocus: number;
  models: ModelSummary[];
  streaming: StreamingReply | null;
  /** A failure outside a reply (a call that failed, a turn that could not start). */
  error: ChatError | { code: string; message: string } | null;

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
  remove(id: string): Promise<void>;
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
  stop(): Promise<void>;
  dismissError(): void;
  dispose(): void;
}

/** The open conversation's model; with none open, the one the first message will use. */
export function modelInUse(state: ChatState): string | null {
  return state.current ? state.current.model : (state.draftModel ?? state.models[0]?.ref ?? null);
}

export interface ChatStoreOptions {
  /** Schedules a flush of pending deltas; requestAnimationFrame in the app, a manual queue in tests. */
  scheduleFrame?: (flush: () => void) => void;
}

export type ChatStore = StoreApi<ChatState>;

export function createChatStore(bridge: Bridge, options: ChatStoreOptions = {}): ChatStore {
  const scheduleFrame =
    options.scheduleFrame ?? ((flush: () => void) => void requestAnimationFrame(() => flush()));
  let turnSubscription: Unsubscribe | null = null;
  let pending = "";
  let frameScheduled = false;
  // Opening and creating race (the screen opens the newest conversation while the user may already
  // be creating one): only the latest selection may set `current`.
  let selection = 0;
  // One "New chat" at a time: a burst of clicks (or key presses on the button) shares it.
  let creating: Promise<void> | null = null;

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

    const flush = () => {
      frameScheduled = false;
      const streaming = get().streaming;
      if (!streaming || !pending) return;
      set({ streaming: { ...streaming, loading: false, text: streaming.text + pending } });
      pending = "";
    };

    const finish = (message: ConversationMessage) => {
      flush();
      turnSubscription = null;
      const { current, streaming } = get();
      if (current && streaming && current.id === streaming.conversationId) {
        const messages = [...current.messages, message];
        set({ current: { ...current, messages, messageCount: messages.length }, streaming: null });
      } else set({ streaming: null });
      void get().refresh();
    };

    const runTurn = (params: Omit<TurnParams, "conversationId">) => {
      const current = get().current;
      // A turn counts as running from the request on, before its snapshot arrives.
      if (!current || get().streaming || turnSubscription) return;
      pending = "";
      set({ error: null });
      turnSubscription = bridge.subscribe("chat.turn", { ...params, conversationId: current.id }, (event) => {
        switch (event.kind) {
          case "snapshot":
            // The first message names the conversation: the list shows it now, not after the reply.
            if (event.data.conversation.messages.length === 1) void get().refresh();
            set({
              current: event.data.conversation,
              streaming: {
                conversationId: event.data.conversation.id,
                replyId: event.data.replyId,
                loading: false,
                text: "",
              },
            });
            return;
          case "delta": {
            const delta = event.data;
            if (delta.type === "loading") {
              const s = get().streaming;
              const progress = delta.progress === undefined ? {} : { loadProgress: delta.progress };
              if (s) set({ streaming: { ...s, loading: true, ...progress } });
            } else if (delta.type === "text") {
              pending += delta.text;
              if (!frameScheduled) {
                frameScheduled = true;
                scheduleFrame(flush);
              }
            } else finish(delta.message);
            return;
          }
          case "error":
            turnSubscription = null;
            set({ streaming: null });
            fail(event.error);
            return;
          case "end":
            return;
          default:
            return event satisfies never;
        }
      });
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
      models: [],
      streaming: null,
      error: null,

      async refresh() {
        const query = get().query;
        const [list, models] = await Promise.all([
          call(bridge.call("chat.list", query ? { query } : {})),
          call(bridge.call("models.list", {})),
        ]);
        if (list && get().query === query) set({ conversations: list });
        if (models) set({ models: models.models });
      },
      async search(query) {
        set({ query });
        const list = await call(bridge.call("chat.list", query ? { query } : {}));
        if (list && get().query === query) set({ conversations: list });
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
        if (get().streaming?.conversationId === id) turnSubscription?.();
        const done = await call(bridge.call("chat.delete", { id }));
        if (done && get().current?.id === id) set({ current: null, streaming: null });
        await get().refresh();
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
        turnSubscription?.();
        turnSubscription = null;
      },
    };
  });
}
