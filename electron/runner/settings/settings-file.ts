/** $HANGAR_HOME/settings.json: read, validated, written atomically (fs/atomic-file.ts). */
import { mkdir, readFile } from "node:fs/promises";
import { writeFileAtomic } from "../fs/atomic-file.ts";
import { join } from "node:path";
import { settingsConflict } from "../../contract/settings.ts";
import { mergeSettings, settingsFromEnv, validateSettings, type Settings } from "./settings.ts";

export function settingsPath(home: string): string {
  return join(home, "settings.json");
}

/** The usable part of the settings file, and what was set aside (one message per problem). */
export interface UsableSettings {
  settings: Partial<Settings>;
  problems: string[];
}

/**
 * The settings file as far as it can be used: a file that is not JSON counts as empty, and each key
 * that breaks its rule is left out (the default stands in), so a bad value never stops Hangar from
 * starting. A host that would need an API key it lacks falls back to loopback. The file is not changed:
 * the next save from the app or the API writes the good keys back without the bad ones.
 */
export async function readUsableSettings(home: string): Promise<UsableSettings> {
  const path = settingsPath(home);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { settings: {}, problems: [] };
    return { settings: {}, problems: [`${path} cannot be read: ${(error as Error).message}`] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { settings: {}, problems: [`${path} is not valid JSON: ${(error as Error).message}`] };
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    return { settings: {}, problems: [`${path} must hold a JSON object`] };
  const settings: Partial<Settings> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    try {
      Object.assign(settings, validateSettings({ [key]: value }, path));
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  const conflict = settingsConflict(mergeSettings(settings), path);
  if (conflict) {
    problems.push(conflict);
    delete settings.host;
  }
  return { settings, problems };
}

/** Validates `patch`, merges it into the file's usable settings and writes the file atomically. Returns the file's new content. */
export async function updateSettingsFile(home: string, patch: unknown): Promise<Partial<Settings>> {
  const valid = validateSettings(patch);
  const next = { ...(await readUsableSettings(home)).settings, ...valid };
  await mkdir(home, { recursive: true });
  // Private: it may hold API keys.
  await writeFileAtomic(settingsPath(home), JSON.stringify(next, null, 2) + "\n", 0o600);
  return next;
}

/**
 * Defaults, then the file's usable settings, then the environment, then explicit overrides (CLI
 * flags); with what was set aside from the file. The environment and flags stay strict: they are
 * given for this start only, and a mistake there is better said at once.
 */
export async function loadUsableSettings(
  home: string,
  overrides: Partial<Settings> = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ settings: Settings; problems: string[] }> {
  const file = await readUsableSettings(home);
  return {
    settings: mergeSettings(file.settings, settingsFromEnv(env), validateSettings(overrides, "options")),
    problems: file.problems,
  };
}
