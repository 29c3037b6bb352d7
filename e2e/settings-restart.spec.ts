/**
 * Saved settings can never lock the user out, in a browser against a real runner: a runner whose
 * settings.json breaks the rules starts anyway, the app says which settings were set aside and leads to
 * Settings, where a save writes good settings back; a setting read only at start offers a restart of
 * the runner, which applies it.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { screenshotPath } from "../testkit/browser.ts";
import { startBrowserApp, type BrowserApp } from "../testkit/browser-app.ts";
import { chatAppOptions, rendererMissing, type TestRunner } from "../testkit/runner.ts";

let ui: BrowserApp;
let app: TestRunner;
let page: Page;
let pageErrors: string[] = [];
const BAD_FILE = { port: 99999, contextsize: 4096, keepAliveSeconds: 120 };

before(async () => {
  if (rendererMissing) return;
  const [settings, options] = chatAppOptions();
  ui = await startBrowserApp(settings, {
    ...options,
    model: false,
    prepare: (home) => writeFile(join(home, "settings.json"), JSON.stringify(BAD_FILE)),
  });
  ({ app, page, pageErrors } = ui);
});

after(() => ui?.close());

const savedFile = async () => JSON.parse(await readFile(join(app.home, "settings.json"), "utf8")) as object;

test("bad saved settings: the runner starts, the app names them and leads to Settings; a save fixes the file", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  const banner = page.locator(".settings-problems");
  await banner.waitFor();
  const text = await banner.innerText();
  assert.match(text, /Some saved settings could not be used/);
  assert.match(text, /port must be an integer from 0 to 65535/);
  assert.match(text, /unknown setting "contextsize"/);
  await page.screenshot({ path: await screenshotPath("settings-set-aside") });

  await banner.getByRole("button", { name: "Open Settings" }).click();
  await page.getByRole("textbox", { name: "Host", exact: true }).waitFor();
  assert.match(await banner.innerText(), /Check the values below and save/);
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByText(/^Settings saved\./).waitFor();
  await banner.waitFor({ state: "detached" });
  const saved = await savedFile();
  assert.equal((saved as { keepAliveSeconds?: number }).keepAliveSeconds, 120, "the good key is kept");
  assert.ok(
    !("contextsize" in saved) && (saved as { port?: number }).port !== 99999,
    "the bad keys are gone",
  );
  assert.deepEqual(pageErrors, []);
});

test("a setting read only at start offers a restart of the runner, which applies it", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  await page.getByRole("combobox", { name: "Log level" }).selectOption("warn");
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByText(/logLevel applies the next time Hangar starts/).waitFor();
  app.runner.logs.info("runner", "before the restart");
  assert.ok(app.runner.logs.entries().some((e) => e.message === "before the restart"));

  await page.getByRole("button", { name: /Restart the runner now/ }).click();
  await page.getByText("The runner restarted with the new settings.").waitFor();
  assert.equal(app.runner.status().state, "running");
  app.runner.logs.info("runner", "after the restart");
  assert.ok(
    !app.runner.logs.entries().some((e) => e.message === "after the restart"),
    "info lines are dropped now",
  );
  assert.equal(await page.getByRole("button", { name: /Restart the runner now/ }).count(), 0);
  await page.screenshot({ path: await screenshotPath("settings-restarted") });
  assert.deepEqual(pageErrors, []);
});
