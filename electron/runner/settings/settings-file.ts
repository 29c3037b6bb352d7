/** $HANGAR_HOME/settings.json: read, validated, written atomically (fs/atomic-file.ts). */
import { mkdir, readFile } from "node:fs/promises";
import { writeFileAtomic } from "../fs/atomic-file.ts";
import { join } from "node:path";
import { mergeSettings, settingsFromEnv, validateSettings, type Settings } from "./settings.ts";

export function settingsPath(home: string): string {
  return join(home, "settings.json");
}

/** The settings stored in the file (only the keys the user set); {} when there is no file. */
export async function readSettingsFile(home: string): Promise<Partial<Settings>> {
  const path = settingsPath(home);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return validateSettings(parsed, path);
}

/** Validates `patch`, merges it into the file's settings and writes the file atomically. Returns the file's new content. */
export async function updateSettingsFile(home: string, patch: unknown): Promise<Partial<Settings>> {
  const valid = validateSettings(patch);
  const next = { ...(await readSettingsFile(home)), ...valid };
  await mkdir(home, { recursive: true });
  // Private: it may hold API keys.
  await writeFileAtomic(settingsPath(home), JSON.stringify(next, null, 2) + "\n", 0o600);
  return next;
}

/** Defaults, then the file, then the environment, then explicit overrides (CLI flags). */
export async function loadSettings(
  home: string,
  overrides: Partial<Settings> = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<Settings> {
  return mergeSettings(
    await readSettingsFile(home),
    settingsFromEnv(env),
    validateSettings(overrides, "options"),
  );
}
