import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startTestRunner } from "../../../testkit/runner.ts";

test("an update that would stop the next start (every interface, no API key) is refused and not written", async () => {
  // No host flag: the saved host is the one the next start listens on.
  const app = await startTestRunner({ host: undefined }, { start: false, model: false, name: "settings" });
  try {
    await assert.rejects(
      app.runner.updateSettings({ host: "0.0.0.0" }),
      /settings\.host 0\.0\.0\.0 .*needs an API key/,
    );
    await assert.rejects(readFile(join(app.home, "settings.json")), { code: "ENOENT" });
    await app.runner.updateSettings({ host: "0.0.0.0", apiKeys: ["secret-key-1"] });
    await assert.rejects(app.runner.updateSettings({ apiKeys: [] }), /needs an API key/);
    const saved = JSON.parse(await readFile(join(app.home, "settings.json"), "utf8")) as Record<
      string,
      unknown
    >;
    assert.deepEqual(saved, { host: "0.0.0.0", apiKeys: ["secret-key-1"] });
  } finally {
    await app.close();
  }
});

test("bad saved settings never stop the runner: each bad key is set aside and said, a save writes good ones back", async () => {
  const badFile = {
    host: "0.0.0.0",
    port: 99999,
    memoryBudgetBytes: 1,
    modelsDir: "relative/models",
    contextsize: 4096,
    keepAliveSeconds: 120,
  };
  // No host flag: the saved one is what this start would listen on (the port flag keeps it free).
  const app = await startTestRunner(
    { host: undefined },
    {
      model: false,
      name: "bad-settings",
      prepare: (home) => writeFile(join(home, "settings.json"), JSON.stringify(badFile)),
    },
  );
  try {
    const status = app.runner.status();
    assert.equal(status.state, "running", "the runner started");
    assert.match(app.url, /^http:\/\/127\.0\.0\.1:\d+$/, "on the default loopback address");
    const problems = status.settingsProblems.join("\n");
    for (const expected of [
      /port must be an integer from 0 to 65535/,
      /memoryBudgetBytes/,
      /modelsDir must be an absolute path/,
      /contextsize/,
      /needs an API key/,
    ])
      assert.match(problems, expected);
    assert.equal(status.settingsProblems.length, 5);
    assert.equal(app.runner.settings().keepAliveSeconds, 120, "the good keys are kept");
    const logged = app.runner.logs
      .entries()
      .map((l) => l.message)
      .join("\n");
    assert.match(logged, /saved setting set aside, its default is used: .*port must be/);
    // The file is not touched until the user saves; a save keeps the good keys and drops the bad.
    assert.deepEqual(JSON.parse(await readFile(join(app.home, "settings.json"), "utf8")), badFile);
    await app.runner.updateSettings({ contextSize: 1024 });
    assert.deepEqual(JSON.parse(await readFile(join(app.home, "settings.json"), "utf8")), {
      keepAliveSeconds: 120,
      contextSize: 1024,
    });
    assert.deepEqual(app.runner.status().settingsProblems, []);
  } finally {
    await app.close();
  }
});

test("a settings file that is not JSON is set aside whole, and the runner starts on defaults", async () => {
  const app = await startTestRunner(
    {},
    {
      model: false,
      name: "bad-json",
      prepare: (home) => writeFile(join(home, "settings.json"), '{"port": 80,'),
    },
  );
  try {
    assert.equal(app.runner.status().state, "running");
    assert.match(app.runner.status().settingsProblems.join(), /settings\.json is not valid JSON/);
  } finally {
    await app.close();
  }
});
