/**
 * Downloads one blob into the store: resumable, verified, optionally over parallel connections.
 *
 * - The partial file (`incoming/<hex>.partial`) and a small state file next to it survive kill -9; the next
 *   run re-hashes what is there and asks only for the rest.
 * - A big blob is cut into chunks that `parts` connections take in order, so the bytes land roughly
 *   in order and the hash (always in order) keeps up with the download instead of re-reading most of
 *   the file at the end.
 * - A ranged answer counts only as a 206 whose Content-Range matches what was asked; a 416 or a changed
 *   ETag restarts from zero; a server that ignores Range falls back to one sequential stream.
 * - A part that stalls (no bytes for `stallMs`) or drops is retried with exponential backoff.
 * - The digest is computed while writing, on a hashing thread; a mismatch deletes the file and throws
 *   DigestMismatchError. A verified blob enters the store without waiting for the disk: its fsync runs
 *   in the background, under a marker that has it checked again should the machine go down first.
 */
import { open, readdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { FileHandle } from "node:fs/promises";
import { DigestMismatchError } from "../../store/blob-store.ts";
import type { BlobStore } from "../../store/blob-store.ts";
import { OrderedHasher } from "./ordered-hasher.ts";
import { BATCH_BYTES, fetchPart, RestartError, SizeMismatchError } from "./part-fetch.ts";
import { SharedBufferPool } from "./hash-worker.ts";
import type { Part } from "./part-fetch.ts";
import { MAX_BLOB_BYTES } from "../../artifact/manifest.ts";

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
  /** Parallel connections for blobs of at least `partThreshold` bytes (default 4 parts, 64 MiB). */
  parts?: number;
  partThreshold?: number;
  /** No bytes for this long and a part is restarted (default 30 s, as Ollama does). */
  stallMs?: number;
  retries?: number;
  /** Writes chunks one after the other at `position`; injectable so tests can simulate a full disk. */
  writeAt?: (file: FileHandle, chunks: Buffer[], position: number) => Promise<void>;
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

interface State {
  size: number;
  etag: string | null;
  parts: Part[];
}

const MiB = 1 << 20;

const defaultWrite = async (file: FileHandle, chunks: Buffer[], position: number) => {
  let rest = chunks;
  while (rest.length) {
    let n = (await file.writev(rest, position)).bytesWritten;
    position += n;
    // A short write: drop what went out and go on with the remainder.
    while (rest.length && n >= rest[0]!.length) n -= rest.shift()!.length;
    if (n > 0) rest = [rest[0]!.subarray(n), ...rest.slice(1)];
  }
};

/**
 * Chunks of about a quarter of a connection's share (16–128 MiB): few enough requests to cost nothing,
 * small enough that parallel connections stay close together in the file. A blob smaller than
 * 16 MiB a connection gets exactly one chunk per connection.
 */
function planParts(size: number, connections: number): Part[] {
  if (connections <= 1 || size === 0) return [{ start: 0, end: size, written: 0 }];
  const floor = Math.min(16 * MiB, Math.ceil(size / connections));
  const step = Math.min(128 * MiB, Math.max(floor, Math.ceil(size / (4 * connections))));
  const parts: Part[] = [];
  for (let start = 0; start < size; start += step)
    parts.push({ start, end: Math.min(size, start + step), written: 0 });
  return parts;
}

/** Runs `task` when requested, one run at a time; requests made during a run share one more run. */
function coalesced(task: () => Promise<void>) {
  let running: Promise<void> | null = null;
  let again = false;
  const loop = async () => {
    do {
      again = false;
      await task().catch(() => {}); // a missed save costs at most a longer re-download
    } while (again);
    running = null;
  };
  return {
    request() {
      if (running) again = true;
      else running = loop();
    },
    async settle() {
      await running;
    },
  };
}

/** Returns "present" when the store already had the blob, else "downloaded". */
export async function downloadBlob(o: BlobDownloadOptions): Promise<"present" | "downloaded"> {
  // Parts are planned from the declared size before any byte arrives: an absurd one is refused here.
  if (!Number.isSafeInteger(o.size) || o.size < 0 || o.size > MAX_BLOB_BYTES)
    throw new Error(`${o.digest}: a declared size of ${o.size} bytes is not accepted (at most 1 TiB)`);
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

async function readState(path: string, size: number): Promise<State | null> {
  try {
    const state = JSON.parse(await readFile(path, "utf8")) as State;
    return state.size === size && Array.isArray(state.parts) ? state : null;
  } catch {
    return null;
  }
}

/**
 * Deletes temp files of the state record left by a process killed between writing and renaming one.
 * Called under the blob's lock, so no live process is writing them.
 */
async function removeStaleTemps(statePath: string): Promise<void> {
  const dir = dirname(statePath);
  const prefix = `${basename(statePath)}.`;
  for (const name of await readdir(dir).catch(() => [] as string[]))
    if (name.startsWith(prefix) && name.endsWith(".tmp")) await unlink(join(dir, name)).catch(() => {});
}

async function fetchLocked(o: BlobDownloadOptions, round = 0, sequential = false): Promise<"downloaded"> {
  const partial = o.store.partialPath(o.digest);
  const statePath = `${partial}.json`;
  await removeStaleTemps(statePath);
  const connections = !sequential && o.size >= (o.partThreshold ?? 64 * MiB) ? Math.max(1, o.parts ?? 4) : 1;
  let state = await readState(statePath, o.size);
  let file: FileHandle;
  try {
    file = await open(partial, state ? "r+" : "w+");
  } catch {
    state = null;
    file = await open(partial, "w+");
  }
  if (!state) {
    // "w+" created or emptied the file. No ftruncate here: on ext4 a truncate to zero makes close()
    // start writing the whole file out (auto_da_alloc), which would make the pull wait for the disk.
    state = { size: o.size, etag: null, parts: planParts(o.size, connections) };
  }
  const current = state;
  // Saved after every batch and without fsync: it only has to survive the process (kill -9), not the
  // machine; after a power loss a stale record at worst costs a digest mismatch and a fresh download.
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
  const queue = current.parts.filter((p) => p.start + p.written < p.end);
  const save = coalesced(saveState);
  const buffers = new SharedBufferPool(BATCH_BYTES);
  const fetchQueued = async () => {
    for (let part = queue.shift(); part; part = queue.shift()) {
      const chunkPart = part;
      await fetchPart(
        {
          digest: o.digest,
          size: o.size,
          source: o.source,
          seen: current,
          stallMs: o.stallMs ?? 30_000,
          retries: o.retries ?? 6,
        },
        chunkPart,
        {
          signal: controller.signal,
          received: (n) => o.onBytes?.(n),
          buffers,
          write: async (chunks, at) => {
            // Hashed (on the hashing thread) while the thread pool writes the same memory.
            const hashed = hasher.offer(at, chunks);
            try {
              await writeAt(file, chunks, at);
            } catch (err) {
              if ((err as NodeJS.ErrnoException).code === "ENOSPC")
                throw new DiskFullError(o.store.incomingDir, o.size);
              throw err;
            } finally {
              await hashed;
            }
          },
          written: (bytes) => {
            chunkPart.written += bytes;
            hasher.kick();
            // Progress is recorded after every batch, in the background: a kill -9 loses at most the
            // batches in flight.
            save.request();
          },
        },
      );
    }
  };
  try {
    let firstError: unknown;
    await Promise.allSettled(
      Array.from({ length: Math.min(connections, Math.max(1, queue.length)) }, () =>
        fetchQueued().catch((err: unknown) => {
          // The first failure stops the other connections; wait for all of them before touching the file.
          firstError ??= err;
          controller.abort(err);
        }),
      ),
    );
    if (firstError !== undefined) throw firstError;
    const { digest, hashed } = await hasher.finish();
    await save.settle();
    await file.close();
    await unlink(statePath).catch(() => {});
    if (hashed !== o.size) throw new Error(`${o.digest}: received ${hashed} bytes, expected ${o.size}`);
    await o.store.commit(partial, o.digest, digest, { syncLater: true });
    return "downloaded";
  } catch (err) {
    hasher.discard();
    await save.settle();
    await file.close().catch(() => {});
    if (err instanceof RestartError && round === 0) {
      await unlink(partial).catch(() => {});
      await unlink(statePath).catch(() => {});
      return fetchLocked(o, round + 1, err.sequential);
    }
    if (
      err instanceof DiskFullError ||
      err instanceof RestartError ||
      err instanceof DigestMismatchError ||
      err instanceof SizeMismatchError
    ) {
      // Give the space back; the store itself was never touched.
      await unlink(partial).catch(() => {});
      await unlink(statePath).catch(() => {});
    } else await saveState().catch(() => {});
    throw err;
  } finally {
    o.signal?.removeEventListener("abort", onAbort);
  }
}
