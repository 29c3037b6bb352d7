/**
 * Downloads one blob into the store: resumable, verified, optionally as parallel Range parts.
 *
 * - The partial file (`incoming/<hex>.partial`) and a small state file next to it survive kill -9; the next
 *   run re-hashes what is there and asks only for the rest.
 * - A ranged answer counts only as a 206 whose Content-Range matches what was asked; a 416 or a changed
 *   ETag restarts from zero; a server that ignores Range falls back to one sequential stream.
 * - A part that stalls (no bytes for `stallMs`) or drops is retried with exponential backoff.
 * - The digest is computed while writing; a mismatch deletes the file and throws DigestMismatchError.
 */
import { open, readFile, rename, unlink, writeFile } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { DigestMismatchError } from "../store/blob-store.ts";
import type { BlobStore } from "../store/blob-store.ts";
import { OrderedHasher } from "./ordered-hasher.ts";

export interface BlobSource {
  /** Opens the blob, with `range` ("bytes=a-b") when resuming or fetching a part. */
  open(init: { range?: string; signal: AbortSignal }): Promise<Response>;
}

export interface BlobDownloadOptions {
  store: BlobStore;
  digest: string;
  size: number;
  source: BlobSource;
  signal?: AbortSignal;
  /** Called with each batch of newly received bytes (and once with bytes already present when resuming). */
  onBytes?: (n: number) => void;
  /** Parallel Range parts for blobs of at least `partThreshold` bytes (default 4 parts, 64 MiB). */
  parts?: number;
  partThreshold?: number;
  /** No bytes for this long and a part is restarted (default 30 s, as Ollama does). */
  stallMs?: number;
  retries?: number;
  /** Writes a chunk; injectable so tests can simulate a full disk. */
  writeAt?: (file: FileHandle, chunk: Buffer, position: number) => Promise<void>;
}

export class DiskFullError extends Error {
  readonly code = "disk_full";
  constructor(dir: string, needed: number) {
    super(
      `not enough disk space in ${dir} for a ${needed}-byte blob; free some space (hangar rm, hangar df) and pull again`,
    );
    this.name = "DiskFullError";
  }
}

/** The partial bytes cannot be trusted or extended: the whole blob starts over. */
class RestartError extends Error {
  constructor(
    message: string,
    readonly sequential = false,
  ) {
    super(message);
  }
}

interface Part {
  start: number;
  end: number; // exclusive
  written: number;
}

interface State {
  size: number;
  etag: string | null;
  parts: Part[];
}

const BATCH_BYTES = 4 << 20;

const defaultWrite = async (file: FileHandle, chunk: Buffer, position: number) => {
  let off = 0;
  while (off < chunk.length)
    off += (await file.write(chunk, off, chunk.length - off, position + off)).bytesWritten;
};

function planParts(size: number, count: number): Part[] {
  const parts: Part[] = [];
  const step = Math.ceil(size / count);
  for (let start = 0; start < size; start += step)
    parts.push({ start, end: Math.min(size, start + step), written: 0 });
  return parts.length ? parts : [{ start: 0, end: 0, written: 0 }];
}

/** Returns "present" when the store already had the blob, else "downloaded". */
export async function downloadBlob(o: BlobDownloadOptions): Promise<"present" | "downloaded"> {
  await o.store.init();
  const release = await o.store.lock(o.digest).acquire(o.signal);
  try {
    if ((await o.store.size(o.digest)) === o.size) {
      o.onBytes?.(o.size);
      return "present";
    }
    return await fetchLocked(o);
  } finally {
    await release();
  }
}

async function fetchLocked(o: BlobDownloadOptions, round = 0, sequential = false): Promise<"downloaded"> {
  const partial = o.store.partialPath(o.digest);
  const statePath = `${partial}.json`;
  const wanted = !sequential && o.size >= (o.partThreshold ?? 64 << 20) ? Math.max(1, o.parts ?? 4) : 1;
  let state: State | null;
  try {
    state = JSON.parse(await readFile(statePath, "utf8")) as State;
    if (state.size !== o.size || !Array.isArray(state.parts)) state = null;
  } catch {
    state = null;
  }
  let file: FileHandle;
  try {
    file = await open(partial, state ? "r+" : "w+");
  } catch {
    state = null;
    file = await open(partial, "w+");
  }
  if (!state) {
    await file.truncate(0);
    state = { size: o.size, etag: null, parts: planParts(o.size, wanted) };
  }
  const current = state;
  // Saved often and without fsync: it only has to survive the process (kill -9), not the machine; after a
  // power loss a stale record at worst costs a digest mismatch and a fresh download.
  let saves = 0;
  const saveState = async () => {
    const tmp = `${statePath}.${process.pid}.${saves++}.tmp`;
    await writeFile(tmp, JSON.stringify(current));
    await rename(tmp, statePath);
  };
  const writeAt = o.writeAt ?? defaultWrite;
  const partAt = (offset: number) => current.parts.find((p) => offset >= p.start && offset < p.end);
  const hasher = new OrderedHasher(file, (offset) => {
    const p = partAt(offset);
    return p ? p.start + p.written : offset;
  });
  const already = current.parts.reduce((a, p) => a + p.written, 0);
  if (already) o.onBytes?.(already);

  const controller = new AbortController();
  const onAbort = () => controller.abort(o.signal?.reason);
  o.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    let firstError: unknown;
    await Promise.allSettled(
      current.parts.map((part) =>
        fetchPart(o, part, current, {
          signal: controller.signal,
          received: (n) => o.onBytes?.(n),
          write: async (chunk) => {
            const at = part.start + part.written;
            try {
              await writeAt(file, chunk, at);
            } catch (err) {
              if ((err as NodeJS.ErrnoException).code === "ENOSPC")
                throw new DiskFullError(o.store.incomingDir, o.size);
              throw err;
            }
            part.written += chunk.length;
            await hasher.onWrite(at, chunk);
            // Record progress after every batch (a batch is a few MiB or a quarter second of one part):
            // a kill -9 then loses at most the batch in flight.
            await saveState();
          },
        }).catch((err: unknown) => {
          // The first failure stops the other parts; wait for all of them before touching the file.
          firstError ??= err;
          controller.abort(err);
        }),
      ),
    );
    if (firstError !== undefined) throw firstError;
    const { digest, hashed } = await hasher.finish();
    await file.close();
    await unlink(statePath).catch(() => {});
    if (hashed !== o.size) throw new Error(`${o.digest}: received ${hashed} bytes, expected ${o.size}`);
    await o.store.commit(partial, o.digest, digest);
    return "downloaded";
  } catch (err) {
    await file.close().catch(() => {});
    if (err instanceof RestartError && round === 0) {
      await unlink(partial).catch(() => {});
      await unlink(statePath).catch(() => {});
      return fetchLocked(o, round + 1, err.sequential);
    }
    if (err instanceof DiskFullError || err instanceof RestartError || err instanceof DigestMismatchError) {
      // Give the space back; the store itself was never touched.
      await unlink(partial).catch(() => {});
      await unlink(statePath).catch(() => {});
    } else await saveState().catch(() => {});
    throw err;
  } finally {
    o.signal?.removeEventListener("abort", onAbort);
  }
}

async function fetchPart(
  o: BlobDownloadOptions,
  part: Part,
  state: State,
  io: { signal: AbortSignal; write: (chunk: Buffer) => Promise<void>; received: (n: number) => void },
): Promise<void> {
  const retries = o.retries ?? 6;
  for (let attempt = 0; part.start + part.written < part.end; attempt++) {
    io.signal.throwIfAborted();
    // Chunks are gathered into batches of a few MiB: one write and one hash step per batch, not per
    // 16–64 KiB network chunk. One batch is written (in the thread pool) while the next one arrives.
    // Whatever was received is still written when the connection fails, so a retry resumes after it.
    let batch: Buffer[] = [];
    let batched = 0;
    let inflight: Promise<void> = Promise.resolve();
    let lastFlush = Date.now();
    const flush = async () => {
      if (!batched) return;
      lastFlush = Date.now();
      const buf = batch.length === 1 ? batch[0]! : Buffer.concat(batch, batched);
      batch = [];
      batched = 0;
      await inflight;
      inflight = io.write(buf);
      inflight.catch(() => {}); // surfaces at the next await of `inflight`
    };
    const drain = async () => {
      await flush();
      await inflight;
    };
    const stall = new AbortController();
    const signal = AbortSignal.any([io.signal, stall.signal]);
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => stall.abort(new Error("stalled")), o.stallMs ?? 30_000);
    };
    try {
      arm();
      const from = part.start + part.written;
      const ranged = from > 0 || part.end < state.size;
      const res = await o.source.open({
        range: ranged ? `bytes=${from}-${part.end - 1}` : undefined,
        signal,
      });
      const etag = res.headers.get("etag");
      if (res.status === 416 || (etag && state.etag && etag !== state.etag)) {
        // The file changed under us (or the range is void): start over.
        await res.body?.cancel();
        throw new RestartError(
          res.status === 416
            ? "the server cannot serve the rest (416)"
            : "the blob changed on the server (ETag)",
        );
      }
      if (etag) state.etag = etag;
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
      let got = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        arm();
        const room = part.end - from - got;
        const take = Math.min(chunk.byteLength, room);
        if (take > 0) {
          batch.push(Buffer.from(chunk.buffer, chunk.byteOffset, take));
          batched += take;
          got += take;
          io.received(take);
        }
        if (take < chunk.byteLength) {
          await drain();
          throw new Error("the server sent more bytes than asked for");
        }
        // Flush on size, or on time so a slow connection still lands its bytes for a later resume.
        if (batched >= BATCH_BYTES || Date.now() - lastFlush > 250) await flush();
      }
      await drain();
      if (part.start + part.written < part.end) throw new Error("connection closed early");
    } catch (err) {
      if (!(err instanceof DiskFullError || err instanceof RestartError)) await drain().catch(() => {});
      else await inflight.catch(() => {});
      if (err instanceof DiskFullError || err instanceof RestartError || io.signal.aborted)
        throw io.signal.aborted ? (io.signal.reason ?? err) : err;
      const code = (err as { code?: string }).code;
      if (
        code === "not_found" ||
        code === "unauthorized" ||
        code === "denied" ||
        code === "http_client_error"
      )
        throw err;
      if (attempt >= retries)
        throw new Error(
          `download of ${o.digest} failed after ${attempt + 1} attempts: ${(err as Error).message}`,
          { cause: err },
        );
      await sleep(Math.min(8000, 250 * 2 ** attempt), io.signal);
    } finally {
      clearTimeout(timer);
    }
  }
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
