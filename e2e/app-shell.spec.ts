import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { launchBrowser, screenshotPath } from "../testkit/browser.ts";
import { startRunnerProcess, type RunnerProcess } from "../testkit/runner-process.ts";

let runner: RunnerProcess;
let browser: Browser;

before(async () => {
  runner = await startRunnerProcess();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await runner?.stop();
});

test("the runner serves the app shell to a browser", async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(runner.url);
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const name of ["Catalog", "Models", "Chat", "Logs", "Settings"]) {
    assert.ok(await nav.getByRole("button", { name }).isVisible(), `${name} is in the navigation`);
  }
  await nav.getByRole("button", { name: "Settings" }).click();
  await page.getByRole("heading", { name: "Settings" }).waitFor();
  await page.screenshot({ path: await screenshotPath("app-shell") });
  assert.deepEqual(errors, []);
});

test("GET /health answers with the version", async () => {
  const res = await fetch(`${runner.url}/health`);
  assert.equal(res.status, 200);
  const body = (await res.json()) as { status: string; version: string };
  assert.equal(body.status, "ok");
  assert.match(body.version, /^\d+\.\d+\.\d+/);
});
