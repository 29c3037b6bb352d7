/**
 * A JSON-lines log file with size-based rotation: hangar.log, then hangar.1.log … hangar.N.log
 * (oldest dropped). Writes are appended synchronously so a crash loses at most the line being written.
 */
import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

export interface RotatingFileOptions {
  dir: string;
  /** Rotate once the current file exceeds this many bytes. */
  maxBytes?: number;
  /** Rotated files kept besides the current one. */
  keep?: number;
  baseName?: string;
}

export class RotatingLogFile {
  readonly path: string;
  private size: number;
  private readonly maxBytes: number;
  private readonly keep: number;
  private failed = false;

  constructor(private readonly options: RotatingFileOptions) {
    this.maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    this.keep = options.keep ?? 5;
    mkdirSync(options.dir, { recursive: true });
    this.path = this.fileName(0);
    try {
      this.size = statSync(this.path).size;
    } catch {
      this.size = 0;
    }
  }

  fileName(index: number): string {
    const base = this.options.baseName ?? "hangar";
    return join(this.options.dir, index === 0 ? `${base}.log` : `${base}.${index}.log`);
  }

  write(line: string): void {
    if (this.failed) return;
    const bytes = Buffer.byteLength(line) + 1;
    try {
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
      appendFileSync(this.path, line + "\n");
      this.size += bytes;
    } catch (error) {
      // A full or read-only disk must not take the runner down; the in-memory ring keeps working.
      this.failed = true;
      process.stderr.write(`hangar: log file disabled: ${(error as Error).message}\n`);
    }
  }

  private rotate(): void {
    rmSync(this.fileName(this.keep), { force: true });
    for (let i = this.keep - 1; i >= 0; i--) {
      try {
        renameSync(this.fileName(i), this.fileName(i + 1));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    }
    this.size = 0;
  }
}
