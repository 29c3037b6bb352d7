// `hangar run/ps/unload/logs/status` as a user runs them, against a real runner with a generated model.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { existsSync } from "node:fs";
import { startTestRunner, TINY_MODEL, type TestRunner } from "../../../testkit/runner.ts";
import { REGISTRY_BINARY, startRegistry } from "../../../testkit/registry.ts";
import { publishTinyModel } from "../../../testkit/publish.ts";

const CLI = join(import.meta.dirname, "..", "index.ts");
let t: TestRunner;

function hangar(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
      env: { ...process.env, HANGAR_URL: t.url, HANGAR_HOME: t.home },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

before(async () => {
  t = await startTestRunner();
});
after(() => t?.close());

test("run streams a reply; ps shows the model; unload frees it; status and logs report", async () => {
  const ran = await hangar("run", TINY_MODEL, "hello", "--max-tokens", "4");
  assert.equal(ran.code, 0, ran.stderr);
  assert.ok(ran.stdout.trim().length > 0, "some text was streamed");

  const listed = await hangar("ps");
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /^NAME\s+SIZE\s+PROCESSOR\s+WEIGHTS/);
  assert.match(listed.stdout, new RegExp(`${TINY_MODEL}\\s+\\d+\\.\\d+ GiB\\s+CPU\\s+(mapped|memory)`));

  const status = await hangar("status");
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /state:\s+running/);
  assert.match(status.stdout, new RegExp(`loaded:\\s+${TINY_MODEL}`));

  const missing = await hangar("unload", "nobody/nothing:1");
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /not loaded/);
  const unloaded = await hangar("unload", "--all");
  assert.equal(unloaded.code, 0, unloaded.stderr);
  assert.deepEqual(t.runner.engine.loaded(), []);

  const logs = await hangar("logs", "--source", "http", "-n", "50");
  assert.equal(logs.code, 0, logs.stderr);
  assert.match(logs.stdout, /INFO\s+http\s+\[local\/tiny:1\] POST \/v1\/chat\/completions 200/);
});

test("an unknown model is a clear error, and no runner is a clear error", async () => {
  const unknown = await hangar("run", "nobody/nothing:1", "hi");
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /model "nobody\/nothing:1" is not installed/);
  const url = t.url;
  t.url = "http://127.0.0.1:9";
  try {
    const down = await hangar("status");
    assert.equal(down.code, 1);
    assert.match(down.stdout, /not running \(cannot reach the Hangar runner at http:\/\/127\.0\.0\.1:9/);
  } finally {
    t.url = url;
  }
});

test("pull with a runner up is the runner's: listed in its pull queue, the model in its store", async (t2) => {
  if (!existsSync(REGISTRY_BINARY)) return t2.skip(`no ${REGISTRY_BINARY}: apt-get install docker-registry`);
  const registry = await startRegistry();
  try {
    const ref = `${registry.host}/cli/through-runner:1`;
    await publishTinyModel(registry, t.home, "cli/through-runner:1", { seed: 13 });

    const pulled = await hangar("pull", ref);
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.match(pulled.stderr, /resolving/);
    assert.match(pulled.stderr, /: done/);
    assert.match(pulled.stdout, new RegExp(`^${ref.replace(/[.:/]/g, "\\$&")} sha256:[0-9a-f]{64} `));
    const listed = t.runner.pulls.list().find((d) => d.ref === ref);
    assert.equal(listed?.state, "done", "the app's download list shows the CLI's pull");
    assert.ok((await t.runner.library.list()).some((m) => m.ref === ref));
  } finally {
    await registry.close();
  }
});

test("bench reports load time, time to first token, prompt and decode speed, with progress and --json", async () => {
  const text = await hangar("bench", TINY_MODEL, "--runs", "1", "--prompt-tokens", "32", "--tokens", "8");
  assert.equal(text.code, 0, text.stderr);
  assert.match(
    text.stderr,
    /unloading .*\nloading .*\nreading the weights into memory .*\nrun 1\/1: time to first token/,
  );
  assert.match(text.stdout, /load\s+\d+\.\d\d s/);
  // The default (useMmap "auto") moves the weights into memory once the model is idle: runs wait for it.
  assert.match(text.stdout, /weights\s+in memory \(moved \d+\.\d s after the load, while idle\)/);
  assert.match(text.stdout, /time to first token\s+\d+ ms/);
  assert.match(text.stdout, /prompt processing\s+\d+\.\d tok\/s \(\d+ tokens\)/);
  assert.match(text.stdout, /decode\s+\d+\.\d tok\/s \(\d+ tokens\)/);

  const json = await hangar(
    "bench",
    TINY_MODEL,
    "--runs",
    "2",
    "--prompt-tokens",
    "32",
    "--tokens",
    "8",
    "--json",
  );
  assert.equal(json.code, 0, json.stderr);
  const result = JSON.parse(json.stdout) as {
    loadMs: number;
    weights: string;
    runs: { promptTokens: number; completionTokens: number; decodeTokensPerSecond: number }[];
    median: { ttftMs: number; promptTokensPerSecond: number; decodeTokensPerSecond: number };
  };
  assert.equal(result.runs.length, 2);
  assert.ok(result.loadMs > 0);
  assert.equal(result.weights, "memory");
  assert.ok(result.runs.every((r) => r.promptTokens >= 32 && r.completionTokens >= 1));
  assert.ok(result.median.ttftMs > 0 && result.median.promptTokensPerSecond > 0);

  const bad = await hangar("bench", TINY_MODEL, "--runs", "0");
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--runs must be a positive integer \(got 0\)/);
});
