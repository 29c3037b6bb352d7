/**
 * Runs chat turns: applies the user-side change to the stored conversation (send, regenerate, edit;
 * conversation-tree.ts keeps earlier versions),
 * streams the engine's generation to a listener as deltas, and records the reply with its figures —
 * also when it is stopped (the text so far) or fails (the error, so the UI can offer a retry).
 */
import { randomUUID } from "node:crypto";
import type { Engine, ChatMessage, GenerationEvent } from "../engine/types.ts";
import type { ModelLibrary } from "../models.ts";
import type { Logger } from "../logs/types.ts";
import type {
  ChatError,
  Conversation,
  ConversationMessage,
  ReplyFigures,
  TurnDelta,
  TurnParams,
  TurnSnapshot,
} from "../../contract/chat.ts";
import { ConversationStore } from "./conversation-store.ts";
import { toChatError } from "./chat-errors.ts";
import { appendReply, applyAction, selectVersion } from "./conversation-tree.ts";

export { TurnRequestError } from "./conversation-tree.ts";

export interface ChatServiceOptions {
  store: ConversationStore;
  /** The engine while the runner runs; null while it is stopped. */
  engine: () => Engine | null;
  /** When given, a conversation's model is checked before generating, for a clear "not installed". */
  models?: Pick<ModelLibrary, "resolve">;
  logger?: Logger;
  now?: () => number;
}

export interface RunningTurn {
  snapshot: TurnSnapshot;
  /** Settles with the stored reply once the turn ends (done, stopped or failed); never rejects. */
  finished: Promise<ConversationMessage>;
  stop(): void;
}

export class TurnConflictError extends Error {
  readonly code = "conflict";
  constructor() {
    super("a reply is still being generated in this conversation: stop it first");
    this.name = "TurnConflictError";
  }
}

export class ChatService {
  private readonly running = new Map<string, AbortController>();
  private readonly now: () => number;

  constructor(private readonly options: ChatServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Whether a turn is generating in the conversation. */
  isRunning(conversationId: string): boolean {
    return this.running.has(conversationId);
  }

  /** Stops the turn running in a conversation; false when none runs. */
  stop(conversationId: string): boolean {
    const controller = this.running.get(conversationId);
    controller?.abort();
    return controller !== undefined;
  }

  /** Shows another version of a message; refused while a reply is being generated there. */
  selectVersion(conversationId: string, messageId: string): Promise<Conversation> {
    if (this.running.has(conversationId)) throw new TurnConflictError();
    return this.options.store.changeMessages(conversationId, (c) => selectVersion(c, messageId));
  }

  /** Stops every running turn (the runner is stopping); each keeps its text so far, marked stopped. */
  stopAll(): void {
    for (const controller of this.running.values()) controller.abort();
  }

  /**
   * Applies the user-side change and starts generating. Resolves once the change is stored, with the
   * snapshot; `onDelta` then receives "loading", "text" pieces and exactly one "done" or "error".
   */
  async startTurn(params: TurnParams, onDelta: (delta: TurnDelta) => void): Promise<RunningTurn> {
    const id = params.conversationId;
    if (this.running.has(id)) throw new TurnConflictError();
    const controller = new AbortController();
    this.running.set(id, controller);
    try {
      let parentId: string | null = null;
      const conversation = await this.options.store.changeMessages(id, (c) => {
        const next = applyAction(c, params);
        parentId = next.leafId;
        return next;
      });
      const replyId = randomUUID();
      const finished = this.generate(
        conversation,
        { id: replyId, parentId },
        controller.signal,
        onDelta,
      ).finally(() => this.running.delete(id));
      return { snapshot: { conversation, replyId }, finished, stop: () => controller.abort() };
    } catch (error) {
      this.running.delete(id);
      throw error;
    }
  }

  private async generate(
    conversation: Conversation,
    place: { id: string; parentId: string | null },
    signal: AbortSignal,
    onDelta: (delta: TurnDelta) => void,
  ): Promise<ConversationMessage> {
    const started = this.now();
    let text = "";
    let thinking = "";
    let pieces = 0;
    let firstAt: number | null = null;
    let figures: ReplyFigures | undefined;
    let failure: ChatError | undefined;
    try {
      const engine = this.options.engine();
      if (!engine) throw Object.assign(new Error("runner stopped"), { code: "runner_stopped" });
      if (!conversation.model) throw Object.assign(new Error("no model"), { code: "no_model" });
      if (this.options.models) await this.options.models.resolve(conversation.model);
      const p = conversation.parameters;
      const events: AsyncIterable<GenerationEvent> = engine.chat(
        {
          model: conversation.model,
          messages: toEngineMessages(conversation),
          temperature: p.temperature,
          topP: p.topP,
          maxTokens: p.maxTokens,
          seed: p.seed,
          contextSize: p.contextSize,
        },
        signal,
      );
      for await (const event of events) {
        if (event.type === "loading")
          onDelta(
            event.progress === undefined
              ? { type: "loading" }
              : { type: "loading", progress: event.progress },
          );
        else if (event.type === "thinking") {
          firstAt ??= this.now();
          thinking += event.text;
          onDelta({ type: "thinking", text: event.text });
        } else if (event.type === "delta") {
          if (!event.text) continue;
          firstAt ??= this.now();
          text += event.text;
          pieces++;
          onDelta({ type: "text", text: event.text });
        } else if (event.type === "done") {
          figures = {
            promptTokens: event.usage.promptTokens,
            completionTokens: event.usage.completionTokens,
            tokensPerSecond: event.tokensPerSecond,
            timeToFirstTokenMs: event.timeToFirstTokenMs,
            finishReason: signal.aborted ? "cancelled" : event.finishReason,
          };
        }
      }
    } catch (error) {
      if (!signal.aborted) failure = toChatError(error, conversation.model);
    }
    if (!figures && !failure) {
      // Stopped before the engine reported its figures: measure what we saw.
      const seconds = (this.now() - (firstAt ?? started)) / 1000;
      figures = {
        promptTokens: 0,
        completionTokens: pieces,
        tokensPerSecond: seconds > 0 ? pieces / seconds : 0,
        timeToFirstTokenMs: firstAt === null ? 0 : firstAt - started,
        finishReason: "cancelled",
      };
    }
    let reply: ConversationMessage = {
      id: place.id,
      role: "assistant",
      content: text,
      ...(thinking ? { thinking } : {}),
      createdAt: new Date(started).toISOString(),
      ...(figures ? { figures } : {}),
      ...(failure ? { error: failure } : {}),
    };
    await this.options.store
      .changeMessages(conversation.id, (c) => appendReply(c, reply, place.parentId))
      .then((saved) => {
        // As stored: with its versions, when it is one of several replies.
        reply = saved.messages.find((m) => m.id === place.id) ?? reply;
      })
      .catch((error: unknown) =>
        this.options.logger?.warn("runner", `chat reply not saved: ${(error as Error).message}`),
      );
    if (failure) {
      this.options.logger?.warn("runner", `chat reply failed: ${failure.message}`, {
        conversation: conversation.id,
      });
      onDelta({ type: "error", message: reply, error: failure });
    } else {
      const f = reply.figures!;
      // Chat turns travel over the bridge, not the HTTP API: this line is their trace in the log viewer.
      this.options.logger?.log({
        level: "info",
        source: "runner",
        message: `chat reply in "${conversation.title}": ${f.completionTokens} tokens, ${f.tokensPerSecond.toFixed(1)} tok/s, TTFT ${Math.round(f.timeToFirstTokenMs)} ms${f.finishReason === "cancelled" ? " (stopped)" : ""}`,
        ...(conversation.model ? { model: conversation.model } : {}),
        fields: { conversation: conversation.id, finishReason: f.finishReason },
      });
      onDelta({ type: "done", message: reply });
    }
    return reply;
  }
}

function toEngineMessages(conversation: Conversation): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (conversation.systemPrompt.trim()) out.push({ role: "system", content: conversation.systemPrompt });
  for (const m of conversation.messages) {
    // A failed reply with no text says nothing to the model; one with text is what it said.
    if (m.role === "assistant" && m.error && !m.content) continue;
    out.push({ role: m.role, content: m.content });
  }
  return out;
}
