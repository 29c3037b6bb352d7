/**
 * Runner settings: defaults, then $HANGAR_HOME/settings.json, then environment variables, then
 * command-line flags (each layer overrides the one before). Every layer is validated with the same
 * rules (electron/contract/settings.ts) so a bad value is reported with where it came from.
 */
import { readFileSync } from "node:fs";
import { settingsPatch, type Settings as ContractSettings } from "../../contract/settings.ts";
import { ValidationError } from "../../contract/validate.ts";
import { DEFAULT_HOST, DEFAULT_PORT } from "../paths.ts";

/** The same shape the UI edits (electron/contract/settings.ts), so the two cannot drift apart. */
export type Settings = ContractSettings;

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  host: DEFAULT_HOST,
  port: DEFAULT_PORT,
  corsOrigins: [],
  apiKeys: [],
  allowedHosts: [],
  keepAliveSeconds: 300,
  memoryBudgetBytes: null,
  threads: null,
  parallel: 4,
  contextSize: 4096,
  gpu: "auto",
  useMmap: "auto",
  modelsDir: null,
  closeToTray: true,
  logLevel: "info",
  discoveryDisabled: [],
  discoveryFolders: [],
});

/** A setting from the environment or a flag that cannot be read (rules broken: ValidationError). */
export class SettingsError extends ValidationError {
  constructor(message: string) {
    super(message);
    this.name = "SettingsError";
  }
}

/**
 * Validates a partial settings object with the contract's rules (the same the UI uses); `where` names
 * the layer (file, environment, flag) in messages.
 */
export function validateSettings(input: unknown, where = "settings"): Partial<Settings> {
  return settingsPatch(input, where) as Partial<Settings>;
}

const list = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

function envNumber(value: string, name: string): number | null {
  if (value === "" || value.toLowerCase() === "auto") return null;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new SettingsError(`${name} must be a number (got ${JSON.stringify(value)})`);
  return n;
}

/** Parses a byte size such as "8GB", "512MiB" or "1073741824". */
export function parseBytes(value: string, name: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?b?)?\s*$/i.exec(value);
  if (!m)
    throw new SettingsError(`${name} must be a size such as 8GB or 512MiB (got ${JSON.stringify(value)})`);
  const unit = (m[2] ?? "").toLowerCase().replace(/i?b$/, "");
  const power = { "": 0, k: 1, m: 2, g: 3, t: 4 }[unit];
  if (power === undefined) throw new SettingsError(`${name}: unknown unit in ${JSON.stringify(value)}`);
  return Math.round(Number(m[1]) * 1024 ** power);
}

/** Settings from HANGAR_* environment variables; unset variables are left out. */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<Settings> {
  const raw: Record<string, unknown> = {};
  const get = (name: string) => {
    const value = env[name];
    return value === undefined || value === "" ? undefined : value;
  };
  const host = get("HANGAR_HOST");
  if (host !== undefined) raw.host = host;
  const port = get("HANGAR_PORT");
  if (port !== undefined) raw.port = envNumber(port, "HANGAR_PORT");
  const threads = get("HANGAR_THREADS");
  if (threads !== undefined) raw.threads = envNumber(threads, "HANGAR_THREADS");
  const cors = get("HANGAR_CORS_ORIGINS");
  if (cors !== undefined) raw.corsOrigins = list(cors);
  const keys = [
    ...list(get("HANGAR_API_KEYS") ?? ""),
    ...readApiKeyFile(get("HANGAR_API_KEYS_FILE"), "HANGAR_API_KEYS_FILE"),
  ];
  if (keys.length > 0) raw.apiKeys = keys;
  const hosts = get("HANGAR_ALLOWED_HOSTS");
  if (hosts !== undefined) raw.allowedHosts = list(hosts);
  const keepAlive = get("HANGAR_KEEP_ALIVE");
  if (keepAlive !== undefined) raw.keepAliveSeconds = parseDurationSeconds(keepAlive, "HANGAR_KEEP_ALIVE");
  const budget = get("HANGAR_MEMORY_BUDGET");
  if (budget !== undefined)
    raw.memoryBudgetBytes =
      budget.toLowerCase() === "auto" ? null : parseBytes(budget, "HANGAR_MEMORY_BUDGET");
  const parallel = get("HANGAR_PARALLEL");
  if (parallel !== undefined) raw.parallel = envNumber(parallel, "HANGAR_PARALLEL");
  const ctx = get("HANGAR_CONTEXT_SIZE");
  if (ctx !== undefined) raw.contextSize = envNumber(ctx, "HANGAR_CONTEXT_SIZE");
  const gpu = get("HANGAR_GPU");
  if (gpu !== undefined)
    raw.gpu = ["0", "false", "off", "no", "cpu"].includes(gpu.toLowerCase()) ? false : "auto";
  const mmap = get("HANGAR_USE_MMAP")?.toLowerCase();
  if (mmap !== undefined)
    raw.useMmap = ["1", "true", "on", "yes"].includes(mmap)
      ? true
      : ["0", "false", "off", "no"].includes(mmap)
        ? false
        : mmap;
  const modelsDir = get("HANGAR_MODELS_DIR");
  if (modelsDir !== undefined) raw.modelsDir = modelsDir;
  const logLevel = get("HANGAR_LOG_LEVEL");
  if (logLevel !== undefined) raw.logLevel = logLevel.toLowerCase();
  return validateSettings(raw, "environment");
}

/**
 * API keys from a file (a container secret such as /run/secrets/hangar_api_key): one key per line,
 * blank lines and lines starting with # ignored. Absent path: no keys. An unreadable or empty file is an
 * error, so a mistyped secret never leaves the runner without the key it was meant to have.
 */
export function readApiKeyFile(path: string | undefined, where: string): string[] {
  if (path === undefined) return [];
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new SettingsError(
      `${where}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  const keys = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  if (keys.length === 0) throw new SettingsError(`${where}: ${path} holds no key`);
  return keys;
}

/**
 * Parses Ollama-style durations: a number of seconds, or "300ms", "30s", "5m", "1h", "1h30m";
 * any negative value means "forever" and becomes -1.
 */
export function parseDurationSeconds(value: string | number, name = "duration"): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new SettingsError(`${name} must be a finite number`);
    return value < 0 ? -1 : Math.round(value);
  }
  const s = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(s)) return parseDurationSeconds(Number(s), name);
  const m = /^(-)?((?:\d+(?:\.\d+)?(?:ms|s|m|h))+)$/.exec(s);
  if (!m)
    throw new SettingsError(
      `${name} must be seconds or a duration such as 30s, 5m, 1h (got ${JSON.stringify(value)})`,
    );
  if (m[1]) return -1;
  let seconds = 0;
  for (const part of m[2]!.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    const n = Number(part[1]);
    seconds += part[2] === "ms" ? n / 1000 : part[2] === "s" ? n : part[2] === "m" ? n * 60 : n * 3600;
  }
  return Math.round(seconds);
}

/** Merges layers over the defaults (later layers win). */
export function mergeSettings(...layers: Partial<Settings>[]): Settings {
  const out: Settings = { ...DEFAULT_SETTINGS };
  for (const layer of layers)
    for (const [k, value] of Object.entries(layer))
      if (value !== undefined) (out as unknown as Record<string, unknown>)[k] = value;
  return out;
}

/** How a key is shown outside the runner: its last four characters only. */
export const maskKey = (key: string): string => `…${key.slice(-4)}`;

/** Keys are secrets: the HTTP API and the bridge show only their last characters. */
export function publicSettings(s: Settings): Settings {
  return { ...s, apiKeys: s.apiKeys.map(maskKey) };
}

/**
 * A settings patch may send back keys as they were shown (masked, from publicSettings): each one that
 * masks a current key stands for that key, so editing the list elsewhere keeps the secrets.
 */
export function restoreMaskedKeys(patch: unknown, current: string[]): unknown {
  const keys = (patch as { apiKeys?: unknown } | null)?.apiKeys;
  if (!Array.isArray(keys)) return patch;
  const restored = keys.map((k) =>
    typeof k === "string" && k.startsWith("…") ? (current.find((c) => maskKey(c) === k) ?? k) : k,
  );
  return { ...(patch as object), apiKeys: restored };
}
