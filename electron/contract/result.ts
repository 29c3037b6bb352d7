/** Typed errors travel as values across IPC and WebSocket, never as thrown exceptions. */
export type ErrorCode =
  | "invalid_request"
  | "not_found"
  | "conflict"
  | "unavailable"
  | "unauthorized"
  | "forbidden"
  | "cancelled"
  | "internal";

export interface BridgeError {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: BridgeError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = (code: ErrorCode, message: string): Result<never> => ({
  ok: false,
  error: { code, message },
});

/** Thrown on the calling side when a Result carries an error, so UI code can use try/catch. */
export class BridgeCallError extends Error {
  constructor(readonly error: BridgeError) {
    super(error.message);
    this.name = "BridgeCallError";
  }
}

export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new BridgeCallError(result.error);
}
