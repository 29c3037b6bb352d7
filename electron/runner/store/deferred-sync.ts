/**
 * Deferred durability for downloaded blobs. Waiting for the disk before a pull completes would cap every
 * pull at the disk's sustained write speed; instead a verified blob enters the store at once and its fsync
 * runs in the background, under a marker that makes the gap safe:
 *
 * 1. before the blob is renamed into place, a marker `pending-sync/<hex>` naming the current boot is
 *    written durably;
 * 2. once the pull has written its metadata, the blob is fsynced in the background and the marker
 *    removed.
 *
 * A marker found later from the same boot only means the process ended before its fsync: the page cache
 * still holds the verified bytes, so an fsync completes it. A marker from an earlier boot means the machine
 * went down before the bytes were on disk: the blob is hashed again and deleted when it does not match, so
 * a damaged blob is never used (the model then shows as incomplete and a pull fetches it again).
 * Platforms without a boot id sync before the rename instead.
 */
import { readFileSync } from "node:fs";
import { mkdir, open, readdir, readFile, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../fs/atomic-file.ts";

let cachedBootId: string | null | undefined;

/** This boot's id (Linux), or null where there is none to read. */
export function currentBootId(): string | null {
  if (cachedBootId === undefined) {
    try {
      cachedBootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || null;
    } catch {
      cachedBootId = null;
    }
  }
  return cachedBootId;
}

async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export interface RecoveryReport {
  /** Blobs from an earlier boot that were hashed again. */
  verified: number;
  /** Of those, the ones that no longer matched their digest and were deleted. */
  removed: string[];
}

export class DeferredSync {
  private readonly inflight = new Set<Promise<void>>();
  private readonly queued = new Set<string>();

  constructor(
    readonly dir: string,
    private readonly blobPath: (hex: string) => string,
    private readonly bootId: () => string | null = currentBootId,
  ) {}

  /** Writes the marker; false when this platform has no boot id (the caller syncs now instead). */
  async mark(hex: string): Promise<boolean> {
    const boot = this.bootId();
    if (!boot) return false;
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(join(this.dir, hex), boot);
    return true;
  }

  /**
   * After the rename: the blob's fsync waits for `start`. Started at once, it would make the metadata
   * writes that follow (the index, the manifest) wait for the whole blob too: on ext4 an fsync of any file
   * commits the journal, and the journal waits for the data of blocks allocated in it.
   */
  later(hex: string): void {
    this.queued.add(hex);
  }

  /** Starts the queued fsyncs in the background (each drops its marker when done). */
  start(): void {
    for (const hex of this.queued) {
      const task = fsyncFile(this.blobPath(hex))
        .then(() => unlink(join(this.dir, hex)))
        // A failed fsync keeps the marker: the blob is checked again after a reboot.
        .catch(() => {})
        .finally(() => this.inflight.delete(task));
      this.inflight.add(task);
    }
    this.queued.clear();
  }

  /** Starts the queued fsyncs and waits for all of them. */
  async flush(): Promise<void> {
    this.start();
    while (this.inflight.size) await Promise.all([...this.inflight]);
  }

  /** Settles the markers left by earlier processes (see the file comment). */
  async recover(matches: (hex: string) => Promise<boolean>): Promise<RecoveryReport> {
    const report: RecoveryReport = { verified: 0, removed: [] };
    const names = await readdir(this.dir).catch(() => [] as string[]);
    for (const hex of names.filter((n) => /^[a-f0-9]{64}$/.test(n))) {
      const marker = join(this.dir, hex);
      const boot = await readFile(marker, "utf8").catch(() => null);
      if (boot === null) continue;
      const path = this.blobPath(hex);
      try {
        if (boot.trim() === this.bootId()) {
          // No blob yet: a commit in progress in another process (its own fsync drops the marker).
          if (!(await exists(path))) continue;
          await fsyncFile(path);
        } else {
          report.verified++;
          if (!(await matches(hex))) {
            await unlink(path);
            report.removed.push(`sha256:${hex}`);
          }
        }
      } catch (err) {
        // Unreadable now (permissions, I/O): keep the marker and try again next time, without making
        // the whole store unusable. Gone: nothing left to check.
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") continue;
      }
      await unlink(marker).catch(() => {});
    }
    return report;
  }
}
