/** Runner settings: their shape and their rules, the same for the UI and the runner. */
import { logLevels, type LogLevelName } from "./logs.ts";
import { noParams, v, ValidationError, type Infer, type Validator } from "./validate.ts";

/** The smallest context size a setting may ask for (see settingsPatch). */
export const MIN_CONTEXT_SIZE = 256;

export interface Settings {
  host: string;
  port: number;
  /** Extra origins browsers may call the API from; loopback origins and the app's own are always allowed. */
  corsOrigins: string[];
  /** Bearer keys; required when the runner listens beyond loopback. */
  apiKeys: string[];
  /** Host names (besides loopback names) that may appear in the Host header. */
  allowedHosts: string[];
  /** Seconds an idle model stays loaded; negative keeps it forever, 0 unloads after each request. */
  keepAliveSeconds: number;
  /** null: a share of total RAM chosen by the engine. */
  memoryBudgetBytes: number | null;
  /** null: physical cores. */
  threads: number | null;
  /** Parallel sequences per loaded model. */
  parallel: number;
  /** Default context size per sequence. */
  contextSize: number;
  gpu: "auto" | false;
  /**
   * How a model's weights are read: "auto" maps the file for the fastest first token and reads the
   * weights into memory once the model is idle (faster decoding); true keeps them mapped; false reads
   * them into memory at load.
   */
  useMmap: "auto" | boolean;
  /** null: the store's default under the Hangar home. */
  modelsDir: string | null;
  closeToTray: boolean;
  /** Lowest level the runner logs; "debug" adds llama.cpp's detailed lines (tensors, buffers). */
  logLevel: LogLevelName;
  /**
   * Tools whose model folders are not read (all are by default): "ollama", "lmstudio",
   * "huggingface-cache", "llama-cpp-cache", "docker-model-runner", "jan".
   */
  discoveryDisabled: string[];
  /** More folders to use models from in place: another tool's folder (its layout is recognised) or loose GGUF files. */
  discoveryFolders: string[];
}

/** The tools whose folders Hangar reads. "folder" is a folder the user added. */
export const DISCOVERY_SOURCES = [
  "ollama",
  "lmstudio",
  "huggingface-cache",
  "llama-cpp-cache",
  "docker-model-runner",
  "jan",
] as const;
export type DiscoverySourceId = (typeof DISCOVERY_SOURCES)[number];

const describe = (value: unknown) => (typeof value === "string" ? JSON.stringify(value) : String(value));

/** An integer in [min, max] (or null, where null means "automatic"). */
const integer =
  (min: number, max: number): Validator<number> =>
  (value, path = "") => {
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max)
      throw new ValidationError(`${path} must be an integer from ${min} to ${max} (got ${describe(value)})`);
    return value;
  };
const integerOrNull =
  (min: number, max: number): Validator<number | null> =>
  (value, path = "") => {
    if (value === null) return null;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max)
      throw new ValidationError(
        `${path} must be an integer from ${min} to ${max} or null (got ${describe(value)})`,
      );
    return value;
  };
/** A non-empty string, trimmed. */
const text =
  (max: number): Validator<string> =>
  (value, path = "") => {
    if (typeof value !== "string" || value.trim() === "")
      throw new ValidationError(`${path} must be a non-empty string (got ${describe(value)})`);
    const trimmed = value.trim();
    if (trimmed.length > max) throw new ValidationError(`${path} must be at most ${max} characters`);
    return trimmed;
  };
const flag: Validator<boolean> = (value, path = "") => {
  if (typeof value !== "boolean")
    throw new ValidationError(`${path} must be true or false (got ${describe(value)})`);
  return value;
};
const list = <T>(item: Validator<T>): Validator<T[]> =>
  v.refine(
    (value, path = "") => {
      if (!Array.isArray(value))
        throw new ValidationError(`${path} must be a list of strings (got ${describe(value)})`);
      return value.map((x, i) => item(x, `${path}[${i}]`));
    },
    (items) => (items.length > 100 ? "must have at most 100 items" : null),
  );
const origin: Validator<string> = v.map(text(300), (s, path) => {
  if (s === "*") return s;
  // "chrome-extension://*": every extension of a browser (their ids are random); not for http(s).
  const anyExtension = /^[a-z][a-z0-9+.-]*:\/\/\*$/i.test(s) && !/^https?:/i.test(s);
  if (!anyExtension && !/^[a-z][a-z0-9+.-]*:\/\/(\*\.)?[^/\s*]+(:(\d+|\*))?$/i.test(s))
    throw new ValidationError(
      `${path} must be an origin such as https://app.example.com, https://*.example.com, http://host:*, chrome-extension://* or * (got ${describe(s)})`,
    );
  return s.toLowerCase();
});
const apiKey: Validator<string> = v.map(text(200), (s, path) => {
  if (s.length < 8 || /\s/.test(s))
    throw new ValidationError(`${path} must be at least 8 characters without spaces`);
  return s;
});

const oneOf = <const T extends readonly string[]>(options: T, value: string, path: string): T[number] => {
  if (options.includes(value)) return value as T[number];
  throw new ValidationError(`${path} must be one of ${options.join(", ")} (got ${describe(value)})`);
};
/**
 * A host name or IP literal the runner can listen on ("127.0.0.1", "0.0.0.0", "::", "my-box.lan"):
 * letters, digits, dots, hyphens, or an IPv6 literal with colons (brackets allowed).
 */
const hostName: Validator<string> = v.map(text(253), (s, path) => {
  const bare = s.replace(/^\[(.*)\]$/, "$1");
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(bare) && !/^[0-9a-f:.]*:[0-9a-f:.]*$/i.test(bare))
    throw new ValidationError(
      `${path} must be a host name or IP address such as 127.0.0.1 or 0.0.0.0 (got ${describe(s)})`,
    );
  return s;
});

/** True for addresses only this machine can reach. */
export function isLoopbackAddress(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h) || h.endsWith(".localhost");
}

/**
 * The rule that joins two settings, checked on the whole result (a patch alone cannot tell): the runner
 * refuses to listen beyond loopback without an API key, so such settings would stop it from starting.
 */
export function settingsConflict(
  settings: Pick<Settings, "host" | "apiKeys">,
  where = "settings",
): string | null {
  if (!isLoopbackAddress(settings.host) && settings.apiKeys.length === 0)
    return `${where}.host ${settings.host} reaches beyond this machine, so it needs an API key: add one under API keys, or use 127.0.0.1`;
  return null;
}

/**
 * Settings that the runner reads only when it starts (the listening socket, its access rules, the log
 * level): saved at once, in effect after a restart.
 */
export const RESTART_SETTINGS: readonly (keyof Settings)[] = [
  "host",
  "port",
  "corsOrigins",
  "apiKeys",
  "allowedHosts",
  "logLevel",
];

/** POSIX ("/models"), Windows drive ("C:\\models") or UNC ("\\\\server\\share") paths; the contract has no node:path. */
const isAbsolutePath = (s: string) => s.startsWith("/") || /^[a-z]:[\\/]/i.test(s) || s.startsWith("\\\\");
/** A folder named by an absolute path: a relative one would follow whatever directory the runner starts in. */
const absolutePath: Validator<string> = v.map(text(4096), (s, path) => {
  if (!isAbsolutePath(s)) throw new ValidationError(`${path} must be an absolute path (got ${describe(s)})`);
  return s;
});

/**
 * The rules of every setting, for every source: the UI (checked before it sends, and again by the
 * bridge), settings.json, HANGAR_* variables and `hangar serve` flags. Unknown keys are refused, not
 * dropped: a misspelt key ("contextsize") that vanished silently would look saved and change nothing.
 * contextSize starts at 256 tokens: below that a chat template, a short system prompt and one exchange
 * no longer fit, so a smaller default would load models that fail on their first real request.
 */
export const settingsPatch = v.object(
  {
    host: v.optional(hostName),
    port: v.optional(integer(0, 65535)),
    corsOrigins: v.optional(list(origin)),
    apiKeys: v.optional(list(apiKey)),
    allowedHosts: v.optional(list(v.map(text(253), (s) => s.toLowerCase()))),
    keepAliveSeconds: v.optional(integer(-1, 365 * 24 * 3600)),
    /** At least 64 MiB: no model runs in less; at most 16 TiB, far beyond any machine's memory. */
    memoryBudgetBytes: v.optional(integerOrNull(64 * 1024 * 1024, 2 ** 44)),
    threads: v.optional(integerOrNull(1, 1024)),
    parallel: v.optional(integer(1, 64)),
    contextSize: v.optional(integer(MIN_CONTEXT_SIZE, 1 << 20)),
    gpu: v.optional((value, path = "") => {
      if (value === "auto" || value === false) return value;
      throw new ValidationError(`${path} must be "auto" or false (got ${describe(value)})`);
    }),
    useMmap: v.optional((value, path = "") => {
      if (value === "auto" || value === true || value === false) return value;
      throw new ValidationError(`${path} must be "auto", true or false (got ${describe(value)})`);
    }),
    modelsDir: v.optional(v.nullable(absolutePath)),
    closeToTray: v.optional(flag),
    discoveryDisabled: v.optional(
      list(v.map(text(64), (s, path): string => oneOf(DISCOVERY_SOURCES, s, path))),
    ),
    discoveryFolders: v.optional(list(absolutePath)),
    logLevel: v.optional((value, path = "") => {
      if (logLevels.includes(value as LogLevelName)) return value as LogLevelName;
      throw new ValidationError(`${path} must be one of ${logLevels.join(", ")} (got ${describe(value)})`);
    }),
  },
  { unknownKeys: "reject", keyName: "setting" },
);
export type SettingsPatch = Infer<typeof settingsPatch>;

export const settingsMethods = {
  "settings.get": noParams,
  "settings.update": settingsPatch,
} satisfies Record<string, Validator<unknown>>;

export interface SettingsMethodResults {
  "settings.get": Settings;
  "settings.update": Settings;
}
