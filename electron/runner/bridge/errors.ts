/** Maps whatever a runner service throws to a typed BridgeError: nothing is thrown across the boundary. */
import type { BridgeError, ErrorCode } from "../../contract/result.ts";

const CODES: readonly ErrorCode[] = [
  "invalid_request",
  "not_found",
  "conflict",
  "unavailable",
  "unauthorized",
  "forbidden",
  "cancelled",
  "internal",
];

/** Engine and store error codes that have a close BridgeError equivalent. */
const ALIASES: Record<string, ErrorCode> = {
  overloaded: "unavailable",
  worker_crashed: "internal",
  load_failed: "internal",
  model_not_found: "not_found",
  invalid_reference: "invalid_request",
  ENOENT: "not_found",
};

export function toBridgeError(error: unknown): BridgeError {
  const message = error instanceof Error ? error.message : String(error);
  const raw = (error as { code?: unknown } | null)?.code;
  if (typeof raw === "string") {
    if ((CODES as readonly string[]).includes(raw)) return { code: raw as ErrorCode, message };
    const alias = ALIASES[raw];
    if (alias) return { code: alias, message };
  }
  if (error instanceof Error && error.name === "AbortError") return { code: "cancelled", message };
  return { code: "internal", message };
}
