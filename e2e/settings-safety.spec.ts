/**
 * Settings can never stop Hangar from starting: in a browser against a real runner, values the runner
 * would refuse at its next start (a host that is no host, every interface without an API key, a
 * relative models folder, a memory budget no machine has) are refused at their field before anything
 * is saved, and settings read only at start say so once saved.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { screenshotPath } from "../testkit/browser.ts";
import { startBrowserApp, type BrowserApp } from "../testkit/browser-app.ts";
import { chatAppOptions, rendererMissing, type TestRunner } from "../testkit/runner.ts";

let ui: BrowserApp;
let app: TestRunner;
let page: Page;
let pageErrors: string[] = [];

before(async () => {
  if (rendererMissing) return;
  ui = await startBrowserApp(...chatAppOptions());
  ({ app, page, pageErrors } = ui);
});

after(() => ui?.close());

const field = (label: string) => page.getByRole("textbox", { name: label, exact: true });
const savedFile = () =>
  readFile(join(app.home, "settings.json"), "utf8").then(JSON.parse, () => ({}) as Record<string, unknown>);

async function saveWith(label: string, value: string) {
  await page.getByRole("button", { name: "Revert" }).click();
  await field(label).fill(value);
  await page.getByRole("button", { name: "Save settings" }).click();
}

test("values that would stop the runner from starting are refused at their field, nothing saved", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Settings" }).click();
  await field("Host").waitFor();
  for (const [label, value, message] of [
    ["Host", "not a host", /Host must be a host name or IP address/],
    ["Host", "0.0.0.0", /needs an API key/],
    ["Models directory", "models", /Models directory must be an absolute path/],
    [
      "Memory budget (GB)",
      "99999",
      /Memory budget \(GB\) must be from 0\.07 to [\d,]+ GB, or empty for automatic \(got "99999"\)/,
    ],
    ["Memory budget (GB)", "0.01", /Memory budget \(GB\) must be from 0\.07 to/],
    ["Port", "abc", /Port must be an integer from 0 to 65535 \(got "abc"\)/],
    ["Port", "99999", /Port must be an integer from 0 to 65535/],
  ] as const) {
    await saveWith(label, value);
    const error = page.locator(".field", { has: field(label) }).locator(".field-error");
    await error.waitFor();
    assert.match(await error.innerText(), message, `${label}: ${value}`);
    assert.equal(await field(label).getAttribute("aria-invalid"), "true");
    const describedBy = (await field(label).getAttribute("aria-describedby"))?.split(" ") ?? [];
    assert.ok(describedBy.includes((await error.getAttribute("id"))!), "the field is described by its error");
    assert.equal(await page.getByText("Settings saved.").count(), 0);
  }
  await field("Host").scrollIntoViewIfNeeded();
  await page.screenshot({ path: await screenshotPath("settings-refused-at-field") });
  assert.deepEqual(await savedFile(), {}, "nothing was written to settings.json");
  assert.equal(app.runner.settings().host, "127.0.0.1");
  assert.deepEqual(pageErrors, []);
});

test("a setting read only at start is saved with a note that it applies at the next start", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  await saveWith("Port", "18080");
  await page.getByText(/Settings saved\. port applies the next time Hangar starts\./).waitFor();
  assert.equal((await savedFile()).port, 18080);
  assert.equal(await field("Port").getAttribute("aria-invalid"), null);
  // The hint says so before saving, too.
  assert.match(
    await page
      .locator(".field", { has: field("Host") })
      .locator(".field-hint")
      .innerText(),
    /Applies the next time Hangar starts/,
  );
});
