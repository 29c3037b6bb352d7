import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
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
