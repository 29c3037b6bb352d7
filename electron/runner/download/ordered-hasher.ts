import { createHash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";

/**
 * Hashes a file that parallel parts fill out of order, while it is being written. Bytes that arrive at
 * the hash cursor are hashed from memory; bytes written ahead of it are read back (from the page cache)
 * once the gap before them closes. A resumed download re-hashes its partial bytes the same way.
 */
export class OrderedHasher {
  private readonly hash = createHash("sha256");
  private cursor = 0;
  private chain: Promise<void> = Promise.resolve();

  /** `written(offset)` returns how far the bytes from `offset` are on disk (the part containing it). */
  constructor(
    private readonly file: FileHandle,
    private readonly written: (offset: number) => number,
  ) {}

  /** Called after `chunk` was written at `offset`. */
  onWrite(offset: number, chunk: Buffer): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (offset === this.cursor) {
        this.hash.update(chunk);
        this.cursor += chunk.length;
      }
      await this.catchUp();
    });
    return this.chain;
  }

  catchUp(): Promise<void> {
    const run = async () => {
      const buf = Buffer.allocUnsafe(1 << 20);
      for (;;) {
        const end = this.written(this.cursor);
        if (end <= this.cursor) return;
        const { bytesRead } = await this.file.read(
          buf,
          0,
          Math.min(buf.length, end - this.cursor),
          this.cursor,
        );
        if (bytesRead === 0) return;
        this.hash.update(buf.subarray(0, bytesRead));
        this.cursor += bytesRead;
      }
    };
    return run();
  }

  async finish(): Promise<{ digest: string; hashed: number }> {
    await this.chain;
    await this.catchUp();
    return { digest: `sha256:${this.hash.digest("hex")}`, hashed: this.cursor };
  }
}
