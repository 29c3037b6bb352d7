import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ModelFormat } from "../models.ts";
import { writeFileAtomic } from "../fs/atomic-file.ts";
import { FileLock } from "./file-lock.ts";

export interface IndexEntry {
  /** Manifest digest. */
  digest: string;
  format: ModelFormat;
  source: string;
  createdAt: string;
  lastUsedAt: string | null;
}

interface IndexFile {
  version: 1;
  models: Record<string, IndexEntry>;
}

/**
 * The references → manifest digest index (`<root>/index.json`). Every change is a read-modify-write under
 * a cross-process lock, written atomically, so the app and the CLI can change it at the same time.
 */
export class ModelIndex {
  readonly path: string;
  private readonly lock: FileLock;

  constructor(readonly root: string) {
    this.path = join(root, "index.json");
    this.lock = new FileLock(join(root, "locks", "index.lock"));
  }

  async read(): Promise<Record<string, IndexEntry>> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
      throw err;
    }
    let parsed: IndexFile;
    try {
      parsed = JSON.parse(text) as IndexFile;
    } catch {
      throw new Error(`the model index ${this.path} is not valid JSON; restore it or remove it and re-pull`);
    }
    if (parsed.version !== 1 || typeof parsed.models !== "object" || parsed.models === null)
      throw new Error(`the model index ${this.path} has an unknown version ${String(parsed.version)}`);
    return parsed.models;
  }

  async get(ref: string): Promise<IndexEntry | undefined> {
    return (await this.read())[ref];
  }

  /** Applies `change` to the models map under the lock and writes the result if it returns true. */
  async update<T>(
    change: (
      models: Record<string, IndexEntry>,
    ) => { write: boolean; result: T } | Promise<{ write: boolean; result: T }>,
  ): Promise<T> {
    await mkdir(this.root, { recursive: true });
    return this.lock.withLock(async () => {
      const models = await this.read();
      const { write, result } = await change(models);
      if (write) {
        const sorted = Object.fromEntries(Object.entries(models).sort(([a], [b]) => a.localeCompare(b)));
        await writeFileAtomic(
          this.path,
          JSON.stringify({ version: 1, models: sorted } satisfies IndexFile, null, 2) + "\n",
        );
      }
      return result;
    });
  }

  /** Runs `fn` while holding the index lock (garbage collection must not race a model being added). */
  withLock<T>(fn: () => Promise<T>): Promise<T> {
    return this.lock.withLock(fn);
  }
}
