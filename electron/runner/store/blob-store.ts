import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import {
  constants,
  copyFile,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  unlink,
} from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { syncDirectory, writeFileAtomic } from "../fs/atomic-file.ts";
import { FileLock } from "./file-lock.ts";
import { DeferredSync } from "./deferred-sync.ts";
import type { RecoveryReport } from "./deferred-sync.ts";

const DIGEST = /^sha256:([a-f0-9]{64})$/;

export class DigestMismatchError extends Error {
  readonly code = "digest_mismatch";
  constructor(
    readonly expected: string,
    readonly actual: string,
    what = "blob",
  ) {
    super(`${what} is corrupt: expected ${expected}, got ${actual}; it was deleted and not stored`);
    this.name = "DigestMismatchError";
  }
}

/** Whether a process with this id runs on this machine (signal 0 checks without sending anything). */
function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function digestHex(digest: string): string {
  const m = DIGEST.exec(digest);
  if (!m) throw new Error(`"${digest}" is not a sha256 digest (sha256:<64 hex digits>)`);
  return m[1]!;
}

export function sha256Digest(data: string | Uint8Array): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

export async function hashFile(path: string): Promise<{ digest: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), async function (source) {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
    }
  });
  return { digest: `sha256:${hash.digest("hex")}`, size };
}

/** Copies a file and hashes it in the same pass. */
export async function copyHashing(from: string, to: string): Promise<{ digest: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  await pipeline(
    createReadStream(from, { highWaterMark: 1 << 20 }),
    async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        hash.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    },
    createWriteStream(to, { flags: "wx" }),
  );
  return { digest: `sha256:${hash.digest("hex")}`, size };
}

/**
 * Content-addressed blobs at `<root>/blobs/sha256/<hex>`. A blob only ever appears there complete and
 * verified: writers fill a file under `<root>/incoming` and `commit` renames it into place.
 */
export class BlobStore {
  readonly blobsDir: string;
  readonly incomingDir: string;
  readonly locksDir: string;
  /** Background fsyncs of downloaded blobs, and the markers that keep them safe across a crash. */
  readonly deferred: DeferredSync;
  private recovery: Promise<RecoveryReport> | undefined;
  private sweep: Promise<void> | undefined;

  constructor(readonly root: string) {
    this.blobsDir = join(root, "blobs", "sha256");
    this.incomingDir = join(root, "incoming");
    this.locksDir = join(root, "locks");
    this.deferred = new DeferredSync(join(root, "pending-sync"), (hex) => join(this.blobsDir, hex));
  }

  async init(): Promise<void> {
    await mkdir(this.blobsDir, { recursive: true });
    await mkdir(this.incomingDir, { recursive: true });
    await mkdir(this.locksDir, { recursive: true });
    this.sweep ??= this.removeLeftovers();
    await this.sweep;
    await this.recover();
  }

  /**
   * Once per process: files in incoming/ that a killed process left and nothing can resume — an
   * adoption or copy (`adopt.<pid>.*`, `copy.<pid>.*`) or a resume-state write (`*.tmp` with its pid) of a process that is gone.
   * Partial downloads and their state files stay: the next pull resumes them.
   */
  private async removeLeftovers(): Promise<void> {
    const names = await readdir(this.incomingDir).catch(() => [] as string[]);
    for (const name of names) {
      const pid =
        /^(?:adopt|copy)\.(\d+)\./.exec(name)?.[1] ?? /\.partial\.json\.(\d+)\.\d+\.tmp$/.exec(name)?.[1];
      if (pid !== undefined && !processAlive(Number(pid)))
        await unlink(join(this.incomingDir, name)).catch(() => {});
    }
  }

  /** Once per process: settles blobs whose background fsync an earlier process or boot did not finish. */
  recover(): Promise<RecoveryReport> {
    this.recovery ??= this.deferred.recover(async (hex) => {
      const { digest } = await hashFile(join(this.blobsDir, hex)).catch(() => ({ digest: "" }));
      return digest === `sha256:${hex}`;
    });
    return this.recovery;
  }

  /** Starts the background fsyncs of blobs committed with `syncLater` (call once their index is written). */
  startSyncs(): void {
    this.deferred.start();
  }

  /** Starts and waits for the background fsyncs of blobs committed with `syncLater`. */
  flush(): Promise<void> {
    return this.deferred.flush();
  }

  path(digest: string): string {
    return join(this.blobsDir, digestHex(digest));
  }

  /** Where a download of this blob keeps its partial bytes (stable, so a later run can resume it). */
  partialPath(digest: string): string {
    return join(this.incomingDir, `${digestHex(digest)}.partial`);
  }

  /**
   * Removes the partial bytes of every download (what a cancelled pull leaves). Partials are named by
   * blob, not by model: call it only when no pull is running or paused, or they restart from zero.
   */
  async removePartials(): Promise<void> {
    const names = await readdir(this.incomingDir).catch(() => [] as string[]);
    await Promise.all(
      names.filter((n) => n.includes(".partial")).map((n) => rm(join(this.incomingDir, n), { force: true })),
    );
  }

  /** A per-blob lock: two processes fetching the same blob never write the same partial file. */
  lock(digest: string): FileLock {
    return new FileLock(join(this.locksDir, `${digestHex(digest)}.lock`));
  }

  async has(digest: string): Promise<boolean> {
    return (await this.size(digest)) !== null;
  }

  async size(digest: string): Promise<number | null> {
    try {
      return (await stat(this.path(digest))).size;
    } catch {
      return null;
    }
  }

  async read(digest: string): Promise<Buffer> {
    return readFile(this.path(digest));
  }

  async readJson<T = unknown>(digest: string): Promise<T> {
    return JSON.parse(await readFile(this.path(digest), "utf8")) as T;
  }

  /** Stores small content (manifests, configs) and returns its digest. */
  async put(data: string | Uint8Array): Promise<{ digest: string; size: number }> {
    const digest = sha256Digest(data);
    const size = typeof data === "string" ? Buffer.byteLength(data) : data.byteLength;
    if (!(await this.has(digest))) await writeFileAtomic(this.path(digest), data);
    return { digest, size };
  }

  /**
   * Verifies a fully written file and renames it into place; deletes it when the digest differs. With
   * `syncLater` its fsync runs in the background under a marker (see deferred-sync.ts).
   */
  async commit(
    file: string,
    expected: string,
    actual: string,
    options: { syncLater?: boolean } = {},
  ): Promise<void> {
    if (actual !== expected) {
      await unlink(file).catch(() => {});
      throw new DigestMismatchError(expected, actual);
    }
    const hex = digestHex(expected);
    const later = options.syncLater === true && (await this.deferred.mark(hex));
    if (!later) {
      const handle = await open(file, "r+");
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    await rename(file, this.path(expected));
    await syncDirectory(this.blobsDir);
    if (later) this.deferred.later(hex);
  }

  /**
   * Adopts an existing file as a blob the store owns: a reflink where the filesystem can make one (no
   * extra space; the original can change without touching it), else a copy hashed in the same pass.
   * Never a hard link or a symlink: appending to the original, or moving it, must not change the store.
   * A symlink is followed to the regular file it names. `beforeCommit` runs once the digest of the
   * store's own copy is known, before the blob becomes visible (to protect it from garbage collection).
   */
  async adopt(
    file: string,
    beforeCommit?: (digest: string) => Promise<void>,
  ): Promise<{ digest: string; size: number; linked: boolean }> {
    await this.init();
    const info = await stat(file);
    if (!info.isFile())
      throw Object.assign(new Error(`${file} is not a regular file`), { code: "invalid_request" });
    const tmp = join(this.incomingDir, `adopt.${process.pid}.${randomBytes(6).toString("hex")}`);
    try {
      let result: { digest: string; size: number };
      const linked = false;
      try {
        await copyFile(file, tmp, constants.COPYFILE_FICLONE_FORCE);
        result = await hashFile(tmp);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") throw err;
        await unlink(tmp).catch(() => {});
        result = await copyHashing(file, tmp);
      }
      await beforeCommit?.(result.digest);
      if (await this.has(result.digest)) await unlink(tmp);
      else await this.commit(tmp, result.digest, result.digest);
      return { ...result, linked };
    } catch (err) {
      await unlink(tmp).catch(() => {});
      throw err;
    }
  }

  async list(): Promise<string[]> {
    const names = await readdir(this.blobsDir).catch(() => [] as string[]);
    return names.filter((n) => /^[a-f0-9]{64}$/.test(n)).map((n) => `sha256:${n}`);
  }

  async remove(digest: string): Promise<void> {
    await unlink(this.path(digest)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== "ENOENT") throw err;
    });
  }

  /** Re-hashes a stored blob. */
  async verify(digest: string): Promise<{ ok: boolean; actual: string }> {
    const { digest: actual } = await hashFile(this.path(digest));
    return { ok: actual === digest, actual };
  }
}
