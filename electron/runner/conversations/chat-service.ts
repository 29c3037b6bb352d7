/**
 * Runs chat turns: applies the user-side change to the stored conversation (send, regenerate, edit),
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
import { ConversationStore, DEFAULT_TITLE } from "./conversation-store.ts";
import { toChatError } from "./chat-errors.ts";

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

export class TurnRequestError extends Error {
  readonly code = "invalid_request";
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
      const conversation = await this.options.store.replaceMessages(id, (c) => applyAction(c, params));
      const replyId = randomUUID();
      const finished = this.generate(conversation, replyId, controller.signal, onDelta).finally(() =>
        this.running.delete(id),
      );
      return { snapshot: { conversation, replyId }, finished, stop: () => controller.abort() };
    } catch (error) {
      this.running.delete(id);
      throw error;
    }
  }

  private async generate(
    conversation: Conversation,
    replyId: string,
    signal: AbortSignal,
    onDelta: (delta: TurnDelta) => void,
  ): Promise<ConversationMessage> {
    const started = this.now();
    let text = "";
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
        else if (event.type === "delta") {
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
    const reply: ConversationMessage = {
      id: replyId,
      role: "assistant",
      content: text,
      createdAt: new Date(started).toISOString(),
      ...(figures ? { figures } : {}),
      ...(failure ? { error: failure } : {}),
    };
    await this.options.store
      .replaceMessages(conversation.id, (c) => ({ messages: [...c.messages, reply] }))
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

/** The conversation as it should be before generating. Throws TurnRequestError on a bad action. */
export function applyAction(
  conversation: Conversation,
  params: TurnParams,
): Pick<Conversation, "messages" | "title"> {
  const messages = conversation.messages;
  const time = new Date().toISOString();
  switch (params.action) {
    case "send": {
      if (!params.content?.trim()) throw new TurnRequestError("send needs a non-empty message");
      const user: ConversationMessage = {
        id: randomUUID(),
        role: "user",
        content: params.content,
        createdAt: time,
      };
      const title =
        conversation.title === DEFAULT_TITLE && messages.length === 0 ? titleFrom(params.content) : undefined;
      return { messages: [...messages, user], title: title ?? conversation.title };
    }
    case "regenerate": {
      let end = messages.length;
      while (end > 0 && messages[end - 1]!.role === "assistant") end--;
      if (end === 0) throw new TurnRequestError("there is no user message to answer");
      return { messages: messages.slice(0, end), title: conversation.title };
    }
    case "edit": {
      const at = messages.findIndex((m) => m.id === params.messageId);
      if (at < 0 || messages[at]!.role !== "user")
        throw new TurnRequestError(`no user message "${params.messageId ?? ""}" in this conversation`);
      if (!params.content?.trim()) throw new TurnRequestError("an edited message cannot be empty");
      const edited = { ...messages[at]!, content: params.content, createdAt: time };
      return { messages: [...messages.slice(0, at), edited], title: conversation.title };
    }
    default:
      return params.action satisfies never;
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

function titleFrom(content: string): string {
  const line = content.trim().split("\n")[0]!.trim();
  return line.length > 60 ? `${line.slice(0, 57)}…` : line || DEFAULT_TITLE;
}
