/**
 * Which error shape a request gets. Each API answers in its own clients' shape, including for paths it
 * does not know, so an SDK reports "404 Not found" instead of choking on the web app's HTML.
 */
import type { IncomingMessage } from "node:http";
import { HttpError, ollamaErrorBody, openAiErrorBody } from "./errors.ts";
import type { ErrorStyle } from "./router.ts";

/** The API a path belongs to; null for the app's own pages. */
export function apiOfPath(path: string): ErrorStyle | null {
  if (path === "/v1/messages" || path.startsWith("/v1/messages/")) return "anthropic";
  if (path.startsWith("/v1/")) return "openai";
  if (path.startsWith("/api/")) return "ollama";
  return null;
}

/** Anthropic's error types by status (https://docs.anthropic.com/en/api/errors). */
function anthropicType(status: number): string {
  if (status === 400 || status === 405 || status === 413)
    return status === 413 ? "request_too_large" : "invalid_request_error";
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status === 503) return "overloaded_error";
  return "api_error";
}

export function anthropicErrorBody(e: HttpError) {
  return { type: "error", error: { type: anthropicType(e.status), message: e.message } };
}

export function errorBody(style: ErrorStyle, e: HttpError): unknown {
  switch (style) {
    case "openai":
      return openAiErrorBody(e);
    case "ollama":
      return ollamaErrorBody(e);
    case "anthropic":
      return anthropicErrorBody(e);
    default:
      return style satisfies never;
  }
}

/** Whether a client asked for a web page (browsers do; API probes and SDKs do not). */
export function wantsHtml(req: IncomingMessage): boolean {
  return /\btext\/html\b/i.test(req.headers.accept ?? "");
}

/** Ollama clients probe `GET /` for this exact text to find a runner. */
export const OLLAMA_PROBE_TEXT = "Ollama is running";
