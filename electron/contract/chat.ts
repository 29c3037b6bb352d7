/**
 * Chat: conversations (persisted by the runner) and turns. A turn is a stream: its snapshot is the
 * conversation after the user-side change (message appended; for regenerate, the branch up to the
 * last user message; for edit, the new version of the edited message), then generation deltas in
 * order — never the whole reply again. Unsubscribing from a turn stops it, as does `chat.stop`.
 * Nothing is thrown away: an earlier reply and an edited message's earlier text stay as versions of
 * that message, each with the conversation that followed it (`chat.selectVersion` shows one).
 */
import { MIN_CONTEXT_SIZE } from "./settings.ts";
import { v, type Validator } from "./validate.ts";

/** Generation parameters kept per conversation; missing ones use the model's and runner's defaults. */
export interface ChatParameters {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  contextSize?: number;
  seed?: number;
}

export const chatParametersValidator: Validator<ChatParameters> = v.object({
  temperature: v.optional(v.number({ min: 0, max: 2 })),
  topP: v.optional(v.number({ min: 0, max: 1 })),
  maxTokens: v.optional(v.number({ min: 1, max: 131072, integer: true })),
  // The same floor as the runner's setting: below it a template and one exchange no longer fit.
  contextSize: v.optional(v.number({ min: MIN_CONTEXT_SIZE, max: 1048576, integer: true })),
  seed: v.optional(v.number({ min: 0, max: 2 ** 32 - 1, integer: true })),
});

/** Figures measured for one reply. */
export interface ReplyFigures {
  promptTokens: number;
  completionTokens: number;
  tokensPerSecond: number;
  timeToFirstTokenMs: number;
  finishReason: "stop" | "length" | "tool_calls" | "cancelled";
}

/** Why a turn failed. Every one of them can be retried once its cause is fixed. */
export type ChatErrorCode =
  | "no_model"
  | "model_missing"
  | "runner_stopped"
  | "worker_crashed"
  | "load_failed"
  | "overloaded"
  | "invalid_request"
  | "internal"
  /** The app lost its connection to the runner during the reply (set by the app, never stored). */
  | "interrupted";

export interface ChatError {
  code: ChatErrorCode;
  message: string;
}

export interface ConversationMessage {
  id: string;
  role: "user" | "assistant";
  content: string;
  /** A thinking model's reasoning for this reply, kept apart from its text. */
  thinking?: string;
  createdAt: string;
  /** Assistant replies that finished (or were stopped) carry their figures. */
  figures?: ReplyFigures;
  /** Assistant replies that failed carry the error (and whatever text came before it). */
  error?: ChatError;
  /**
   * Ids of this message's versions, this one included, oldest first; only when there are several
   * (regenerated replies, edited messages).
   */
  versions?: string[];
}

export interface ConversationSummary {
  id: string;
  title: string;
  model: string | null;
  createdAt: string;
  updatedAt: string;
  messageCount: number;
}

export interface Conversation extends ConversationSummary {
  systemPrompt: string;
  parameters: ChatParameters;
  messages: ConversationMessage[];
}

/** The title of a conversation nobody has written in yet; the first message replaces it. */
export const NEW_CONVERSATION_TITLE = "New chat";

/** A search hit: the summary plus a short excerpt around the first match in the content, if any. */
export interface ConversationSearchHit extends ConversationSummary {
  excerpt: string | null;
}

const id = v.string({ min: 1, max: 100 });
const title = v.string({ min: 1, max: 200 });
const model = v.nullable(v.string({ min: 1, max: 500 }));
const systemPrompt = v.string({ max: 100_000 });
const content = v.string({ min: 1, max: 1_000_000 });

export const chatMethods = {
  /** Lists conversations, newest first; `query` searches titles and message content. */
  "chat.list": v.optional(v.object({ query: v.optional(v.string({ max: 500 })) })),
  "chat.get": v.object({ id }),
  "chat.create": v.optional(
    v.object({
      title: v.optional(title),
      model: v.optional(model),
      systemPrompt: v.optional(systemPrompt),
      parameters: v.optional(chatParametersValidator),
    }),
  ),
  /** Rename, pick a model, set the system prompt or parameters; only given fields change. */
  "chat.update": v.object({
    id,
    title: v.optional(title),
    model: v.optional(model),
    systemPrompt: v.optional(systemPrompt),
    parameters: v.optional(chatParametersValidator),
  }),
  "chat.delete": v.object({ id }),
  /** Stops the turn running in a conversation, keeping the text generated so far. */
  "chat.stop": v.object({ id }),
  /** Shows `messageId` (one of a message's versions) with the newest conversation that followed it. */
  "chat.selectVersion": v.object({ id, messageId: id }),
} satisfies Record<string, Validator<unknown>>;

export interface ChatMethodResults {
  "chat.list": ConversationSearchHit[];
  "chat.get": Conversation;
  "chat.create": Conversation;
  "chat.update": Conversation;
  "chat.delete": { deleted: true };
  "chat.stop": { stopped: boolean };
  "chat.selectVersion": Conversation;
}

/** What a turn does before generating. "regenerate" also retries a failed reply. */
export const turnParams = v.object({
  conversationId: id,
  action: v.literal("send", "regenerate", "edit"),
  /** send: the new user message; edit: the new text of `messageId`. */
  content: v.optional(content),
  /** edit: the user message to change (its earlier text and what followed stay as a version). */
  messageId: v.optional(id),
});
export type TurnParams = ReturnType<typeof turnParams>;

export interface TurnSnapshot {
  conversation: Conversation;
  /** Id the reply will have in the conversation once stored. */
  replyId: string;
}

export type TurnDelta =
  /** The model is loading; `progress` from 0 to 1 as it goes. */
  | { type: "loading"; progress?: number }
  | { type: "text"; text: string }
  /** Reasoning of a thinking model, before its text. */
  | { type: "thinking"; text: string }
  | { type: "done"; message: ConversationMessage }
  | { type: "error"; message: ConversationMessage; error: ChatError };

/**
 * Streams whose opening acts: a turn sends, regenerates or edits. A bridge that loses its connection
 * ends them with an "unavailable" error instead of opening them again (the runner has stored what it
 * generated so far; opening the stream again would send the message twice).
 */
export const actingStreams: ReadonlySet<string> = new Set(["chat.turn"]);

export const chatStreams = {
  "chat.turn": turnParams,
} satisfies Record<string, Validator<unknown>>;

export interface ChatStreamEvents {
  "chat.turn": { snapshot: TurnSnapshot; delta: TurnDelta };
}
