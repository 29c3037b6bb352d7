/**
 * Stored responses (`store: true`, the Responses API's default): each under
 * `$HANGAR_HOME/responses/<id>.json`, written atomically, with the conversation that led to it so a
 * later request can continue from it with `previous_response_id`.
 */
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../../fs/atomic-file.ts";
import type { ChatMessage } from "../../engine/types.ts";

export interface StoredResponse {
  /** The response object as the API returned it. */
  response: Record<string, unknown> & { id: string };
  /** The conversation up to and including this response's output (instructions excluded). */
  messages: ChatMessage[];
}

const ID = /^resp_[A-Za-z0-9]{1,100}$/;

export class ResponseStore {
  constructor(private readonly dir: string) {}

  private path(id: string): string | null {
    return ID.test(id) ? join(this.dir, `${id}.json`) : null;
  }

  async save(entry: StoredResponse): Promise<void> {
    const path = this.path(entry.response.id);
    if (!path) throw new Error(`invalid response id ${entry.response.id}`);
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(path, JSON.stringify(entry));
  }

  /** The stored response, or null when there is none (or the id is not one Hangar makes). */
  async get(id: string): Promise<StoredResponse | null> {
    const path = this.path(id);
    if (!path) return null;
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    return JSON.parse(text) as StoredResponse;
  }

  /** True when a stored response was deleted. */
  async delete(id: string): Promise<boolean> {
    const path = this.path(id);
    if (!path || !(await this.get(id))) return false;
    await rm(path, { force: true });
    return true;
  }
}
