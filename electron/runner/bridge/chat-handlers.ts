/**
 * The runner side of the chat contract: conversation CRUD and search over the ConversationStore, and
 * `chat.turn` streams over the ChatService (closing the stream stops the turn).
 */
import { join } from "node:path";
import { ConversationStore } from "../conversations/conversation-store.ts";
import { ChatService } from "../conversations/chat-service.ts";
import type { Runner } from "../runner.ts";
import type { Handlers } from "./dispatcher.ts";
import type { TurnDelta } from "../../contract/chat.ts";

export function chatHandlers(deps: { store: ConversationStore; chat: ChatService }): Handlers {
  const { store, chat } = deps;
  return {
    methods: {
      "chat.list": (params) => store.list(params?.query),
      "chat.get": ({ id }) => store.get(id),
      "chat.create": (params) => store.create(params ?? {}),
      "chat.update": ({ id, ...patch }) => store.update(id, patch),
      "chat.delete": async ({ id }) => {
        chat.stop(id);
        await store.delete(id);
        return { deleted: true as const };
      },
      "chat.stop": ({ id }) => ({ stopped: chat.stop(id) }),
      "chat.selectVersion": ({ id, messageId }) => chat.selectVersion(id, messageId),
    },
    streams: {
      "chat.turn": (params, sink) => {
        let closed = false;
        let stopTurn: (() => void) | null = null;
        // Generation may produce its first delta before the snapshot is out: hold deltas until then.
        let held: TurnDelta[] | null = [];
        const forward = (delta: TurnDelta) => {
          if (closed) return;
          sink.delta(delta);
          if (delta.type === "done" || delta.type === "error") sink.end();
        };
        chat
          .startTurn(params, (delta) => (held ? held.push(delta) : forward(delta)))
          .then(
            (turn) => {
              stopTurn = turn.stop;
              if (closed) return turn.stop();
              sink.snapshot(turn.snapshot);
              const early = held ?? [];
              held = null;
              early.forEach(forward);
            },
            (error: unknown) => {
              const code = (error as { code?: unknown }).code;
              sink.error(typeof code === "string" ? code : "internal", (error as Error).message);
            },
          );
        return () => {
          closed = true;
          stopTurn?.();
        };
      },
    },
  };
}

/**
 * Chat handlers for a runner: conversations under $HANGAR_HOME/conversations, turns through the
 * runner's engine, refused with "runner stopped" while it is stopped.
 */
export async function chatHandlersForRunner(
  runner: Pick<Runner, "home" | "engine" | "library" | "logs" | "status" | "onStatusChange">,
): Promise<Handlers> {
  const store = await ConversationStore.open(join(runner.home, "conversations"));
  const chat = new ChatService({
    store,
    engine: () => (runner.status().state === "running" ? runner.engine : null),
    models: runner.library,
    logger: runner.logs,
  });
  // A stop the user chose ends replies as stopped (text kept), before the engine unloads their models.
  runner.onStatusChange((s) => {
    if (s.state === "stopping") chat.stopAll();
  });
  return chatHandlers({ store, chat });
}
