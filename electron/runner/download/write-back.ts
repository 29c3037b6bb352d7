import type { FileHandle } from "node:fs/promises";

/**
 * Starts the disk writing early: after every `every` bytes written to a file, one `datasync` runs in the
 * background (never more than one at a time, never awaited by the writers). The final fsync before the
 * blob is committed then has only the tail left to flush, instead of the whole blob at the end, and the
 * kernel never throttles the download for holding too many dirty pages.
 */
export class WriteBack {
  private since = 0;
  private running: Promise<void> | null = null;

  constructor(
    private readonly file: FileHandle,
    private readonly every = 64 << 20,
  ) {}

  wrote(bytes: number): void {
    this.since += bytes;
    if (this.since < this.every || this.running) return;
    this.since = 0;
    // An error here surfaces again, and is reported, at the fsync that commits the blob.
    this.running = this.file
      .datasync()
      .catch(() => {})
      .finally(() => (this.running = null));
  }

  /** Waits for the sync in progress, if any: call before closing the file. */
  async settle(): Promise<void> {
    await this.running;
  }
}
