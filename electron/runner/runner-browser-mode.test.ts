import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startTestRunner } from "../../testkit/runner.ts";

test("in browser mode Stop pauses the API but keeps the UI up, so the page can start it again", async () => {
  const ui = "ui";
  const t = await startTestRunner(
    {},
    {
      name: "browser-mode",
      model: false,
      start: false,
      prepare: async (home) => {
        await mkdir(join(home, ui));
        await writeFile(join(home, ui, "index.html"), "<!doctype html><title>Hangar</title>");
      },
      rendererDir: ui,
    },
  );
  const runner = t.runner;
  try {
    await runner.start();
    const url = runner.http.url!;
    assert.equal((await fetch(`${url}/v1/models`)).status, 200);

    await runner.stop();
    assert.equal(runner.status().state, "stopped");
    assert.equal(runner.status().url, null);
    const paused = await fetch(`${url}/v1/models`);
    assert.equal(paused.status, 503);
    assert.match(
      ((await paused.json()) as { error: { message: string } }).error.message,
      /runner is stopped/,
    );
    assert.equal((await fetch(`${url}/api/tags`)).status, 503);
    assert.equal((await fetch(`${url}/`)).status, 200, "the UI is still served");
    assert.equal((await fetch(`${url}/health`)).status, 200);

    await runner.start();
    assert.equal(runner.status().state, "running");
    assert.equal(runner.http.url, url, "same address after Start");
    assert.equal((await fetch(`${url}/v1/models`)).status, 200);
  } finally {
    await t.close();
  }
  assert.equal(runner.http.listening, false, "close() releases the port");
});
