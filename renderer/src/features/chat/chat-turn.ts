/**
 * The turn in flight: one `chat.turn` stream at a time. Token deltas (text and a thinking model's
 * reasoning) are appended to pending buffers
 * and applied once per animation frame, so a 200 tok/s stream costs ~60 renders a second, not 200.
 * A turn whose connection drops ends here as interrupted (the bridge never opens it again: that would
 * send the message twice); the runner has stored what it generated, and the conversation is read
 * again once the runner answers.
 */
import type { Bridge, Unsubscribe } from "../../../../electron/contract/api.ts";
import type {
  ChatError,
  Conversation,
  ConversationMessage,
  TurnParams,
} from "../../../../electron/contract/chat.ts";

export interface StreamingReply {
  conversationId: string;
  replyId: string;
  /** True from the engine's "loading" until the first token. */
  loading: boolean;
  /** How far the model's load is, 0 to 1, once the engine has said. */
  loadProgress?: number;
  text: string;
  /** A thinking model's reasoning so far. */
  thinking: string;
}

/** The part of the chat state a turn reads and writes. */
export interface TurnState {
  current: Conversation | null;
  streaming: StreamingReply | null;
  error: ChatError | { code: string; message: string } | null;
  /** Bumped when a reply has finished, for the screen reader's announcement. */
  finishedReplies: number;
}

export interface TurnDeps {
  bridge: Bridge;
  get(): TurnState;
  set(patch: Partial<TurnState>): void;
  scheduleFrame(flush: () => void): void;
  /** The list and models again (a reply changes the list's order and counts). */
  refresh(): Promise<void>;
  /** Updates a conversation's row in the list at once (title and count from the first message). */
  showInList(conversation: Conversation): void;
  /** Waits before asking a runner that could not be reached again (a timer in the app). */
  retryDelay?: (attempt: number) => Promise<void>;
}

export const INTERRUPTED_MESSAGE =
  "The connection to the runner was lost during this reply; what had arrived is kept.";

export function createTurns(deps: TurnDeps) {
  const { bridge, get, set } = deps;
  const retryDelay =
    deps.retryDelay ??
    ((attempt: number) => new Promise<void>((r) => setTimeout(r, Math.min(500 * attempt, 3000))));
  let subscription: Unsubscribe | null = null;
  let pending = "";
  let pendingThinking = "";
  let frameScheduled = false;

  const flush = () => {
    frameScheduled = false;
    const streaming = get().streaming;
    if (!streaming || (!pending && !pendingThinking)) return;
    set({
      streaming: {
        ...streaming,
        loading: false,
        text: streaming.text + pending,
        thinking: streaming.thinking + pendingThinking,
      },
    });
    pending = "";
    pendingThinking = "";
  };

  const finish = (message: ConversationMessage) => {
    flush();
    subscription = null;
    const { current, streaming, finishedReplies } = get();
    if (current && streaming && current.id === streaming.conversationId) {
      const messages = [...current.messages, message];
      set({
        current: { ...current, messages, messageCount: messages.length },
        streaming: null,
        finishedReplies: finishedReplies + 1,
      });
    } else set({ streaming: null });
    void deps.refresh();
  };

  /** Reads the conversation again once the runner answers (it kept the reply it had generated). */
  const reloadWhenBack = async (id: string) => {
    for (let attempt = 1; attempt <= 40; attempt++) {
      const result = await bridge.call("chat.get", { id });
      if (result.ok) {
        const { current, streaming } = get();
        if (current?.id === id && !streaming) set({ current: result.value });
        void deps.refresh();
        return;
      }
      if (result.error.code !== "unavailable") return;
      await retryDelay(attempt);
    }
  };

  const interrupted = (conversationId: string | undefined) => {
    flush();
    const streaming = get().streaming;
    if (streaming) {
      const error = { code: "interrupted" as const, message: INTERRUPTED_MESSAGE };
      finish({
        id: streaming.replyId,
        role: "assistant",
        content: streaming.text,
        ...(streaming.thinking ? { thinking: streaming.thinking } : {}),
        createdAt: new Date().toISOString(),
        error,
      });
    } else {
      subscription = null;
      set({ error: { code: "unavailable", message: INTERRUPTED_MESSAGE } });
    }
    if (conversationId) void reloadWhenBack(conversationId);
  };

  return {
    /** Whether a turn runs (from the request on, before its snapshot arrives). */
    active: () => subscription !== null || get().streaming !== null,

    run(conversationId: string, params: Omit<TurnParams, "conversationId">) {
      pending = "";
      pendingThinking = "";
      set({ error: null });
      subscription = bridge.subscribe("chat.turn", { ...params, conversationId }, (event) => {
        switch (event.kind) {
          case "snapshot":
            // The first message names the conversation: the list shows it now, not after the reply.
            deps.showInList(event.data.conversation);
            void deps.refresh();
            set({
              current: event.data.conversation,
              streaming: {
                conversationId: event.data.conversation.id,
                replyId: event.data.replyId,
                loading: false,
                text: "",
                thinking: "",
              },
            });
            return;
          case "delta": {
            const delta = event.data;
            if (delta.type === "loading") {
              const s = get().streaming;
              const progress = delta.progress === undefined ? {} : { loadProgress: delta.progress };
              if (s) set({ streaming: { ...s, loading: true, ...progress } });
            } else if (delta.type === "text" || delta.type === "thinking") {
              if (delta.type === "text") pending += delta.text;
              else pendingThinking += delta.text;
              if (!frameScheduled) {
                frameScheduled = true;
                deps.scheduleFrame(flush);
              }
            } else finish(delta.message);
            return;
          }
          case "error":
            if (event.error.code === "unavailable") return interrupted(conversationId);
            subscription = null;
            set({ streaming: null, error: event.error });
            return;
          case "end":
            return;
          default:
            return event satisfies never;
        }
      });
    },

    /** Stops listening (the runner stops a turn whose stream closes). */
    close() {
      subscription?.();
      subscription = null;
    },
  };
}
