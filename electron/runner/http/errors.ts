/** HTTP errors and how each runner error maps to a status code. */
import { ValidationError } from "../../contract/validate.ts";
import { EngineError } from "../engine/types.ts";
import { ModelNotFoundError } from "../models.ts";
import { SettingsError } from "../settings/settings.ts";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string = status >= 500 ? "server_error" : "invalid_request_error",
    readonly code: string | null = null,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** Turns anything thrown by a handler into an HttpError with the right status. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof ValidationError || error instanceof SettingsError) {
    const param = /^([\w.[\]]+) must/.exec(error.message)?.[1] ?? null;
    return new HttpError(400, error.message, "invalid_request_error", "invalid_value", param);
  }
  if (error instanceof ModelNotFoundError)
    return new HttpError(404, error.message, "invalid_request_error", "model_not_found", "model");
  if (error instanceof EngineError) {
    switch (error.code) {
      case "not_found":
        return new HttpError(404, error.message, "invalid_request_error", "model_not_found", "model");
      case "invalid_request":
        return new HttpError(400, error.message, "invalid_request_error", "invalid_value");
      case "overloaded": {
        const retry = String(Math.max(1, Math.ceil(error.retryAfterSeconds ?? 1)));
        return new HttpError(503, error.message, "server_error", "overloaded", null, {
          "retry-after": retry,
        });
      }
      case "worker_crashed":
        return new HttpError(500, error.message, "server_error", "worker_crashed");
      case "internal":
        return new HttpError(500, error.message, "server_error", "internal_error");
      case "load_failed":
        return new HttpError(500, error.message, "server_error", "load_failed");
      case "cancelled":
        return new HttpError(499, error.message, "server_error", "cancelled");
      default:
        error.code satisfies never;
    }
  }
  // Errors from the store carry a string code (e.g. "not_found", "conflict").
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === "not_found") return new HttpError(404, message, "invalid_request_error", "not_found");
  if (code === "conflict") return new HttpError(409, message, "invalid_request_error", "conflict");
  if (code === "invalid_request" || code === "invalid_reference")
    return new HttpError(400, message, "invalid_request_error", "invalid_value");
  return new HttpError(500, message, "server_error", "internal_error");
}

export function openAiErrorBody(e: HttpError) {
  return { error: { message: e.message, type: e.type, param: e.param, code: e.code } };
}

export function ollamaErrorBody(e: HttpError) {
  return { error: e.message };
}
