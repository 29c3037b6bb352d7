/**
 * Writes for streamed responses (SSE, NDJSON). A client that stops reading makes every write queue up
 * in the server's memory; past a bound the client is dropped, which cancels its generation or
 * subscription like any other disconnect.
 */
import type { ServerResponse } from "node:http";

/** Unread output a streaming client may leave queued (on top of what the kernel's socket buffers hold). */
export const MAX_UNREAD_BYTES = 4 * 1024 * 1024;

/** Writes `text`; false when the response is gone or was dropped for leaving too much unread. */
export function writeOrDrop(res: ServerResponse, text: string, limit = MAX_UNREAD_BYTES): boolean {
  if (res.destroyed) return false;
  res.write(text);
  if (res.writableLength <= limit) return true;
  res.destroy(new Error(`the client left more than ${limit} bytes unread`));
  return false;
}
