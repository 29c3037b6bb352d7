import { link, mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { dirname } from "node:path";

/**
 * A cross-process lock: a file created with O_EXCL holding the owner's pid. A lock whose owner is gone
 * (killed with -9, crashed) is stale and taken over, so a killed pull never blocks the next one.
 */
export class FileLock {
  constructor(
    readonly path: string,
    private readonly pollMs = 50,
  ) {}

  /** Waits until the lock is free (or the signal aborts), then holds it. Returns the release function. */
  async acquire(signal?: AbortSignal): Promise<() => Promise<void>> {
    await mkdir(dirname(this.path), { recursive: true });
    const token = `${process.pid} ${randomBytes(6).toString("hex")}\n`;
    for (;;) {
      signal?.throwIfAborted();
      try {
        const handle = await open(this.path, "wx", 0o644);
        await handle.writeFile(token);
        await handle.close();
        return () => this.release(token);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
      await this.breakIfStale();
      await new Promise((r) => setTimeout(r, this.pollMs));
    }
  }

  async withLock<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await fn();
    } finally {
      await release();
    }
  }

  private async release(token: string): Promise<void> {
    const current = await readFile(this.path, "utf8").catch(() => null);
    if (current === token) await unlink(this.path).catch(() => {});
  }

  private async breakIfStale(): Promise<void> {
    const content = await readFile(this.path, "utf8").catch(() => null);
    if (content === null) return;
    const pid = Number(content.split(" ")[0]);
    // An empty file is a lock being written right now: not stale.
    if (content === "" || !Number.isInteger(pid) || pid <= 0 || isAlive(pid)) return;
    // Move it aside, then check we moved the stale lock and not a fresh one another waiter just took.
    const aside = `${this.path}.stale.${process.pid}.${randomBytes(4).toString("hex")}`;
    try {
      await rename(this.path, aside);
    } catch {
      return;
    }
    const moved = await readFile(aside, "utf8").catch(() => null);
    if (moved !== content) await link(aside, this.path).catch(() => {});
    await unlink(aside).catch(() => {});
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
