import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_PORT } from "../paths.ts";
import { loadUsableSettings, readUsableSettings, updateSettingsFile } from "./settings-file.ts";
import { parseBytes, parseDurationSeconds, settingsFromEnv, validateSettings } from "./settings.ts";

async function withHome(fn: (home: string) => Promise<void>) {
  const home = await mkdtemp(join(tmpdir(), "hangar-settings-"));
  try {
    await fn(home);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

test("defaults, then the file, then the environment, then flags", () =>
  withHome(async (home) => {
    assert.equal((await loadUsableSettings(home, {}, {})).settings.port, DEFAULT_PORT);
    await updateSettingsFile(home, { port: 12000, threads: 3, corsOrigins: ["https://*.example.com"] });
    let s = (await loadUsableSettings(home, {}, {})).settings;
    assert.equal(s.port, 12000);
    assert.deepEqual(s.corsOrigins, ["https://*.example.com"]);
    s = (await loadUsableSettings(home, {}, { HANGAR_PORT: "12001", HANGAR_THREADS: "2" })).settings;
    assert.equal(s.port, 12001);
    assert.equal(s.threads, 2);
    s = (await loadUsableSettings(home, { port: 12002 }, { HANGAR_PORT: "12001" })).settings;
    assert.equal(s.port, 12002);
    assert.equal(s.threads, 3, "file value kept where nothing overrides it");
  }));

test("writes are atomic (no temp files left) and merge with what the file had", () =>
  withHome(async (home) => {
    await updateSettingsFile(home, { keepAliveSeconds: 60 });
    await updateSettingsFile(home, { parallel: 2 });
    assert.deepEqual(await readUsableSettings(home), {
      settings: { keepAliveSeconds: 60, parallel: 2 },
      problems: [],
    });
    assert.deepEqual(await readdir(home), ["settings.json"]);
    assert.match(await readFile(join(home, "settings.json"), "utf8"), /"parallel": 2/);
  }));

test("invalid values are refused with a message naming the setting and where it came from", () =>
  withHome(async (home) => {
    await assert.rejects(
      updateSettingsFile(home, { port: 70000 }),
      /settings\.port must be an integer from 0 to 65535/,
    );
    await assert.rejects(updateSettingsFile(home, { prot: 1 }), /unknown setting "prot"/);
    assert.throws(
      () => validateSettings({ corsOrigins: ["not an origin"] }),
      /corsOrigins\[0\] must be an origin/,
    );
    assert.throws(() => validateSettings({ gpu: "yes" }), /gpu must be "auto" or false/);
    assert.throws(() => settingsFromEnv({ HANGAR_PORT: "abc" }), /HANGAR_PORT must be a number/);
    assert.throws(
      () => settingsFromEnv({ HANGAR_PARALLEL: "0" }),
      /environment\.parallel must be an integer from 1/,
    );
    await writeFile(join(home, "settings.json"), "{ nope");
    const { problems } = await loadUsableSettings(home, {}, {});
    assert.match(problems.join(), /settings\.json is not valid JSON/);
    // The environment and flags are given for this start only: a mistake there is said at once.
    await assert.rejects(loadUsableSettings(home, {}, { HANGAR_PORT: "70000" }), /port must be an integer/);
  }));

test("environment variables for every setting", () => {
  const s = settingsFromEnv({
    HANGAR_HOST: "0.0.0.0",
    HANGAR_CORS_ORIGINS: "https://a.example.com, http://localhost:*",
    HANGAR_API_KEYS: "key-one-1234,key-two-5678",
    HANGAR_KEEP_ALIVE: "10m",
    HANGAR_MEMORY_BUDGET: "8GiB",
    HANGAR_PARALLEL: "2",
    HANGAR_CONTEXT_SIZE: "8192",
    HANGAR_GPU: "false",
    HANGAR_LOG_LEVEL: "DEBUG",
    HANGAR_MODELS_DIR: "/models",
    HANGAR_USE_MMAP: "off",
  });
  assert.deepEqual(s, {
    host: "0.0.0.0",
    corsOrigins: ["https://a.example.com", "http://localhost:*"],
    apiKeys: ["key-one-1234", "key-two-5678"],
    keepAliveSeconds: 600,
    memoryBudgetBytes: 8 * 1024 ** 3,
    parallel: 2,
    contextSize: 8192,
    gpu: false,
    logLevel: "debug",
    modelsDir: "/models",
    useMmap: false,
  });
  assert.throws(
    () => settingsFromEnv({ HANGAR_LOG_LEVEL: "verbose" }),
    /logLevel must be one of debug, info/,
  );
  assert.equal(settingsFromEnv({ HANGAR_USE_MMAP: "Auto" }).useMmap, "auto");
  assert.equal(settingsFromEnv({ HANGAR_USE_MMAP: "1" }).useMmap, true);
  assert.throws(
    () => settingsFromEnv({ HANGAR_USE_MMAP: "sometimes" }),
    /useMmap must be "auto", true or false/,
  );
});

test("durations and sizes", () => {
  assert.equal(parseDurationSeconds("5m"), 300);
  assert.equal(parseDurationSeconds("1h30m"), 5400);
  assert.equal(parseDurationSeconds("-1"), -1);
  assert.equal(parseDurationSeconds(-5), -1);
  assert.equal(parseDurationSeconds("0"), 0);
  assert.throws(() => parseDurationSeconds("soon"), /duration such as 30s/);
  assert.equal(parseBytes("512MB", "x"), 512 * 1024 ** 2);
  assert.throws(() => parseBytes("lots", "x"), /size such as 8GB/);
});

test("API keys from a secret file: HANGAR_API_KEYS_FILE, added to the listed keys", () =>
  withHome(async (home) => {
    const file = join(home, "hangar_api_key");
    await writeFile(file, "# the team's key\nfile-key-123456\n\n  second-key-7890  \n");
    assert.deepEqual(settingsFromEnv({ HANGAR_API_KEYS_FILE: file }).apiKeys, [
      "file-key-123456",
      "second-key-7890",
    ]);
    assert.deepEqual(
      settingsFromEnv({ HANGAR_API_KEYS: "env-key-123456", HANGAR_API_KEYS_FILE: file }).apiKeys,
      ["env-key-123456", "file-key-123456", "second-key-7890"],
    );
    // A mistyped path or an empty secret is an error, never a runner without its key.
    assert.throws(
      () => settingsFromEnv({ HANGAR_API_KEYS_FILE: join(home, "missing") }),
      /HANGAR_API_KEYS_FILE: cannot read .*missing \(ENOENT\)/,
    );
    await writeFile(join(home, "empty"), "# nothing\n\n");
    assert.throws(() => settingsFromEnv({ HANGAR_API_KEYS_FILE: join(home, "empty") }), /holds no key/);
    await writeFile(join(home, "short"), "abc\n");
    assert.throws(
      () => settingsFromEnv({ HANGAR_API_KEYS_FILE: join(home, "short") }),
      /at least 8 characters/,
    );
  }));
