import type { FileHandle } from "node:fs/promises";
import { sharedBuffer, WorkerHash } from "./hash-worker.ts";

/**
 * Hashes a file in order while parallel connections fill it out of order. Bytes that arrive at the hash
 * cursor are hashed from memory (on the hashing thread) as they are handed to the disk; bytes written
 * ahead of the cursor are read back (from the page cache) in the background once the gap before them is
 * written. A resumed download re-hashes its partial bytes the same way.
 */
export class OrderedHasher {
  private readonly hash = new WorkerHash();
  private cursor = 0;
  private reading: Promise<void> | null = null;
  private again = false;
  private failure: unknown;
  private finished = false;

  /** `written(offset)` returns how far the bytes from `offset` are on disk (the part containing it). */
  constructor(
    private readonly file: FileHandle,
    private readonly written: (offset: number) => number,
  ) {}

  /**
   * Called with bytes about to be written from `offset`. When they are next in order they are hashed
   * from memory, and the promise settles once they are; otherwise it settles at once.
   */
  async offer(offset: number, chunks: readonly Buffer[]): Promise<void> {
    if (offset !== this.cursor) return;
    const hashed: Promise<void>[] = [];
    for (const chunk of chunks) {
      hashed.push(this.hash.update(chunk));
      this.cursor += chunk.length;
    }
    await Promise.all(hashed);
  }

  /** Called after a write completed: hashes newly contiguous bytes in the background. */
  kick(): void {
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = (async () => {
      do {
        this.again = false;
        await this.readBack();
      } while (this.again);
    })()
      .catch((err: unknown) => {
        this.failure ??= err;
      })
      .finally(() => (this.reading = null));
  }

  private async readBack(): Promise<void> {
    let buf: Buffer | undefined;
    for (;;) {
      const end = this.written(this.cursor);
      if (end <= this.cursor) return;
      buf ??= sharedBuffer(4 << 20);
      const at = this.cursor;
      const { bytesRead } = await this.file.read(buf, 0, Math.min(buf.length, end - at), at);
      if (bytesRead === 0 || this.cursor !== at) return;
      this.cursor += bytesRead;
      await this.hash.update(buf.subarray(0, bytesRead));
    }
  }

  async finish(): Promise<{ digest: string; hashed: number }> {
    while (this.reading) await this.reading;
    if (this.failure !== undefined) throw this.failure;
    await this.readBack();
    this.finished = true;
    return { digest: `sha256:${await this.hash.digest()}`, hashed: this.cursor };
  }

  /** Frees the hashing thread's state when the download stops before `finish`. */
  discard(): void {
    if (!this.finished) this.hash.discard();
    this.finished = true;
  }
}
