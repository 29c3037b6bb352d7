import { mkdir, readdir, readFile, unlink } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { writeFileAtomic } from "../fs/atomic-file.ts";
import { isAlive } from "./file-lock.ts";

type Locked = <T>(fn: () => Promise<T>) => Promise<T>;

/** The blobs one pull or package run is about to reference; release when the model is indexed (or failed). */
export class PendingRecord {
  private readonly digests = new Set<string>();
  constructor(
    private readonly file: string,
    private readonly locked: Locked,
  ) {}

  /** Records digests under the index lock, so a collection running now either sees them or finished before. */
  async add(digests: string[]): Promise<void> {
    for (const d of digests) this.digests.add(d);
    await this.locked(() => writeFileAtomic(this.file, JSON.stringify([...this.digests])));
  }

  async release(): Promise<void> {
    await unlink(this.file).catch(() => {});
  }
}

/**
 * Blobs that a pull in progress (in this or another process) is about to reference. Garbage collection
 * keeps them, so `hangar rm` in one terminal cannot delete a layer that a pull in the app just fetched.
 * Records of processes that died are ignored and cleaned up.
 */
export class PendingBlobs {
  readonly dir: string;
  constructor(
    root: string,
    private readonly locked: Locked,
  ) {
    this.dir = join(root, "pending");
  }

  async start(): Promise<PendingRecord> {
    await mkdir(this.dir, { recursive: true });
    return new PendingRecord(
      join(this.dir, `${process.pid}.${randomBytes(6).toString("hex")}.json`),
      this.locked,
    );
  }

  /** Digests of live records. Call with the index lock held. */
  async live(): Promise<Set<string>> {
    const out = new Set<string>();
    const names = await readdir(this.dir).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.endsWith(".json")) continue;
      const pid = Number(name.split(".")[0]);
      const file = join(this.dir, name);
      if (!isAlive(pid)) {
        await unlink(file).catch(() => {});
        continue;
      }
      try {
        for (const d of JSON.parse(await readFile(file, "utf8")) as string[]) out.add(d);
      } catch {
        // Unreadable only while being replaced; writes are atomic renames under the same lock.
      }
    }
    return out;
  }
}
