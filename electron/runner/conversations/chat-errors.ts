import type { ChatError, ChatErrorCode } from "../../contract/chat.ts";

/** Turns whatever a turn threw into an error a person can act on; all of them can be retried. */
export function toChatError(error: unknown, model: string | null): ChatError {
  const code = (error as { code?: unknown })?.code;
  const detail = error instanceof Error ? error.message : String(error);
  const pick = (c: ChatErrorCode, message: string): ChatError => ({ code: c, message });
  switch (code) {
    case "no_model":
      return pick("no_model", "Pick a model for this conversation, then retry.");
    case "runner_stopped":
      return pick("runner_stopped", "The runner is stopped. Start it, then retry.");
    case "not_found":
      return pick(
        "model_missing",
        `The model ${model ?? ""} is not installed. Download it from the Catalog or pick another model, then retry.`,
      );
    case "worker_crashed":
      return pick("worker_crashed", `The model's worker process crashed (${detail}). Retry to restart it.`);
    case "load_failed":
      return pick("load_failed", `The model could not be loaded: ${detail}`);
    case "overloaded":
      return pick("overloaded", `The runner is busy: ${detail} Retry in a moment.`);
    case "invalid_request":
      return pick("invalid_request", detail);
    default:
      return pick("internal", `Generation failed: ${detail}`);
  }
}
