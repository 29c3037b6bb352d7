/**
 * Fetches one part (a byte range) of a blob into the partial file, retrying with exponential backoff when
 * the connection drops or stalls; each retry asks only for the bytes not yet written.
 */
import type { BlobSource } from "./blob-download.ts";
import type { SharedBufferPool } from "./hash-worker.ts";
import { nodeBody } from "./node-fetch.ts";

export interface Part {
  start: number;
  end: number; // exclusive
  written: number;
}

/** The partial bytes cannot be trusted or extended: the whole blob starts over. */
export class RestartError extends Error {
  constructor(
    message: string,
    readonly sequential = false,
  ) {
    super(message);
  }
}

export interface PartIo {
  signal: AbortSignal;
  /** Writes a batch at `position` (several can be in flight; a failure is not retried). */
  write: (chunks: Buffer[], position: number) => Promise<void>;
  /** Called in order once `bytes` more at the part's write position are on disk. */
  written: (bytes: number) => void;
  received: (n: number) => void;
  /** Batch buffers, shared between the connections of one download. */
  buffers: SharedBufferPool;
}

/** The server's blob is not the size the manifest declares: no retry or restart can fix that. */
export class SizeMismatchError extends Error {
  readonly code = "size_mismatch";
  constructor(digest: string, declared: number, served: number) {
    super(`${digest}: the server's blob is ${served} bytes, but ${declared} were declared`);
    this.name = "SizeMismatchError";
  }
}

/** The blob's full size as the answer states it (Content-Range total, or the length of a whole 200), if it does. */
function servedSize(res: Response): number | null {
  const total = /\/(\d+)$/.exec(res.headers.get("content-range") ?? "")?.[1];
  if (total !== undefined) return Number(total);
  const length = res.headers.get("content-length");
  if (res.status === 200 && length !== null && !res.headers.get("content-encoding")) return Number(length);
  return null;
}

/** A local write failed: fetching again cannot help. */
export class WriteError extends Error {
  constructor(readonly error: unknown) {
    super((error as Error).message, { cause: error });
  }
}

export interface PartOptions {
  digest: string;
  size: number;
  source: BlobSource;
  /** Holds the ETag seen first (saved with the resume state); a different one means the blob changed. */
  seen: { etag: string | null };
  stallMs: number;
  retries: number;
}

// Chunks are copied into batches of a few MiB: one write call and one hash step per batch. Up to
// WRITES_IN_FLIGHT batches are being written (in the thread pool) while the next one arrives; a batch
// also closes after a quarter second, so a slow connection still lands its bytes for a later resume.
export const BATCH_BYTES = 4 << 20;
const BATCH_MS = 250;
const WRITES_IN_FLIGHT = 4;
const FATAL_CODES = new Set(["not_found", "unauthorized", "denied", "http_client_error"]);

export async function fetchPart(o: PartOptions, part: Part, io: PartIo): Promise<void> {
  for (let attempt = 0; part.start + part.written < part.end; attempt++) {
    io.signal.throwIfAborted();
    // The batch is gathered in shared memory: the hashing thread reads it in place.
    let batch = io.buffers.take();
    let batched = 0;
    let next = part.start + part.written;
    // One promise per batch in flight, each settled after the batch and all earlier ones are written.
    const steps: Promise<void>[] = [];
    let lastFlush = Date.now();
    const flush = async () => {
      if (!batched) return;
      lastFlush = Date.now();
      const bytes = batched;
      const full = batch;
      const write = io
        .write([full.subarray(0, bytes)], next)
        .catch((err: unknown) => {
          throw err instanceof WriteError ? err : new WriteError(err);
        })
        .finally(() => io.buffers.give(full));
      next += bytes;
      batch = io.buffers.take();
      batched = 0;
      // Settles only once this write and every earlier one have settled, so none is left running.
      const step = Promise.allSettled([steps.at(-1), write]).then(([before, self]) => {
        if (before.status === "rejected") throw before.reason;
        if (self.status === "rejected") throw self.reason;
        io.written(bytes);
      });
      step.catch(() => {}); // surfaces where the steps are awaited
      steps.push(step);
      if (steps.length >= WRITES_IN_FLIGHT) await steps.shift();
    };
    const drain = async () => {
      await flush();
      await steps.at(-1);
      steps.length = 0;
    };
    const stall = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => stall.abort(new Error("stalled")), o.stallMs);
    };
    try {
      arm();
      const from = part.start + part.written;
      const res = await open(o, part, from, AbortSignal.any([io.signal, stall.signal]));
      let got = 0;
      const body = nodeBody(res) ?? (res.body as unknown as AsyncIterable<Uint8Array>);
      for await (const chunk of body as AsyncIterable<Uint8Array>) {
        arm();
        const room = part.end - from - got;
        const take = Math.min(chunk.byteLength, room);
        for (let used = 0; used < take;) {
          const n = Math.min(take - used, BATCH_BYTES - batched);
          batch.set(chunk.subarray(used, used + n), batched);
          batched += n;
          used += n;
          if (batched === BATCH_BYTES) await flush();
        }
        got += take;
        if (take > 0) io.received(take);
        if (take < chunk.byteLength) {
          await drain();
          throw new Error("the server sent more bytes than asked for");
        }
        if (Date.now() - lastFlush > BATCH_MS) await flush();
      }
      await drain();
      if (part.start + part.written < part.end) throw new Error("connection closed early");
    } catch (caught) {
      let err = caught;
      // Whatever was received is still written when the connection fails, so a retry resumes after it.
      if (err instanceof WriteError || err instanceof RestartError) await Promise.allSettled(steps);
      else await drain().catch((failed: unknown) => (err = failed instanceof WriteError ? failed : err));
      const fatal =
        err instanceof WriteError || err instanceof RestartError || err instanceof SizeMismatchError;
      if (fatal || io.signal.aborted) throw io.signal.aborted ? (io.signal.reason ?? err) : unwrap(err);
      if (FATAL_CODES.has((err as { code?: string }).code ?? "")) throw err;
      if (attempt >= o.retries)
        throw new Error(
          `download of ${o.digest} failed after ${attempt + 1} attempts: ${(caught as Error).message}`,
          { cause: caught },
        );
      await sleep(Math.min(8000, 250 * 2 ** attempt), io.signal);
    } finally {
      clearTimeout(timer);
    }
  }
}

function unwrap(err: unknown): unknown {
  return err instanceof WriteError ? err.error : err;
}

/** Opens the part from `from`, accepting only an answer that serves exactly those bytes. */
async function open(o: PartOptions, part: Part, from: number, signal: AbortSignal): Promise<Response> {
  const ranged = from > 0 || part.end < o.size;
  const res = await o.source.open({ range: ranged ? `bytes=${from}-${part.end - 1}` : undefined, signal });
  const served = res.status === 200 || res.status === 206 || res.status === 416 ? servedSize(res) : null;
  if (served !== null && served !== o.size) {
    await res.body?.cancel();
    throw new SizeMismatchError(o.digest, o.size, served);
  }
  const etag = res.headers.get("etag");
  if (res.status === 416 || (etag && o.seen.etag && etag !== o.seen.etag)) {
    // The file changed under us (or the range is void): start over.
    await res.body?.cancel();
    throw new RestartError(
      res.status === 416 ? "the server cannot serve the rest (416)" : "the blob changed on the server (ETag)",
    );
  }
  if (etag) o.seen.etag = etag;
  if (ranged) {
    const cr = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(res.headers.get("content-range") ?? "");
    if (res.status !== 206 || !cr || Number(cr[1]) !== from || Number(cr[2]) !== part.end - 1) {
      await res.body?.cancel();
      if (res.status === 200) throw new RestartError("the server ignores Range requests", true);
      throw new Error(
        `unexpected answer to a Range request: HTTP ${res.status} ${res.headers.get("content-range") ?? ""}`,
      );
    }
  } else if (res.status !== 200) {
    await res.body?.cancel();
    const fatal = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
    throw Object.assign(
      new Error(`HTTP ${res.status} for ${o.digest}`),
      fatal ? { code: "http_client_error" } : {},
    );
  }
  if (!res.body) throw new Error("empty response body");
  return res;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
