/**
 * The Chat screen's state: conversations, the open one, installed models, and the turn in flight.
 * Token deltas are appended to a pending buffer and applied once per animation frame, so a 200 tok/s
 * stream costs ~60 renders a second, not 200.
 */
import { createStore, type StoreApi } from "zustand/vanilla";
import type { Bridge, ModelSummary, Unsubscribe } from "../../../../electron/contract/api.ts";
import type {
  ChatError,
  ChatParameters,
  Conversation,
  ConversationMessage,
  ConversationSearchHit,
  TurnParams,
} from "../../../../electron/contract/chat.ts";

export interface StreamingReply {
  conversationId: string;
  replyId: string;
  /** True from the engine's "loading" until the first token. */
  loading: boolean;
  text: string;
}

export interface ChatState {
  conversations: ConversationSearchHit[];
  query: string;
  current: Conversation | null;
  models: ModelSummary[];
  streaming: StreamingReply | null;
  /** A failure outside a reply (a call that failed, a turn that could not start). */
  error: ChatError | { code: string; message: string } | null;

  refresh(): Promise<void>;
  search(query: string): Promise<void>;
  open(id: string): Promise<void>;
  /** Opens the newest conversation unless the user has already opened or created one. */
  openNewest(): Promise<void>;
  /** Creates a conversation with `model`, else the open one's model, else the first installed. */
  create(model?: string | null): Promise<void>;
  rename(id: string, title: string): Promise<void>;
  remove(id: string): Promise<void>;
  configure(patch: {
    model?: string | null;
    systemPrompt?: string;
    parameters?: ChatParameters;
  }): Promise<void>;
  send(content: string): void;
  regenerate(): void;
  edit(messageId: string, content: string): void;
  stop(): Promise<void>;
  dismissError(): void;
  dispose(): void;
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
              if (s) set({ streaming: { ...s, loading: true } });
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

    return {
      conversations: [],
      query: "",
      current: null,
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
      async create(requested) {
        const model = requested ?? get().current?.model ?? get().models[0]?.ref ?? null;
        const mine = ++selection;
        const conversation = await call(bridge.call("chat.create", { model }));
        if (!conversation) return;
        if (mine === selection) set({ current: conversation, error: null });
        await get().refresh();
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
        const current = get().current;
        if (!current) return;
        const conversation = await call(bridge.call("chat.update", { id: current.id, ...patch }));
        if (conversation) set({ current: conversation });
      },
      send(content) {
        if (content.trim()) runTurn({ action: "send", content });
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
