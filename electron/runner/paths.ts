import { homedir } from "node:os";
import { join, resolve } from "node:path";

/** Where Hangar keeps its data: `HANGAR_HOME`, else ~/.hangar. The desktop app and the CLI share it. */
export function hangarHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.HANGAR_HOME || join(homedir(), ".hangar"));
}

/**
 * The default API port. Chosen to collide with none of Ollama (11434), Docker Model Runner (12434),
 * LM Studio (1234), Jan (1337) or llama-server (8080).
 */
export const DEFAULT_PORT = 11987;
export const DEFAULT_HOST = "127.0.0.1";
