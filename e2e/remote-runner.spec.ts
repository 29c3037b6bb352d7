// Settings → Runners in Chromium: the app starts on this computer's runner, switches to a remote runner
// in another HANGAR_HOME (URL and key; a wrong key is refused with a message), shows which runner it
// uses in the status bar, lists the remote runner's models, and switches back.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { stat, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { screenshotPath } from "../testkit/browser.ts";
import { openApp, type AppSession } from "../testkit/app-session.ts";
import { startTestRunner, rendererMissing, TINY_MODEL, type TestRunner } from "../testkit/runner.ts";
import { RunnerSwitch } from "../electron/runner/bridge/runner-switch.ts";

const KEY = "remote-ui-key-0123456";
const REMOTE_MODEL = "team/remote:1";
let local: TestRunner;
let remote: TestRunner;
let runners: RunnerSwitch;
let session: AppSession;
let page: Page;
let pageErrors: string[] = [];

if (rendererMissing) console.log(`# remote-runner.spec skipped: ${rendererMissing}`);

before(async () => {
  if (rendererMissing) return;
  local = await startTestRunner({}, { name: "ui-local", bridge: { kind: "app", webSocket: false } });
  remote = await startTestRunner(
    { apiKeys: [KEY] },
    { name: "ui-remote", model: { ref: REMOTE_MODEL, seed: 7 }, bridge: { kind: "app" } },
  );
  runners = new RunnerSwitch(local.bridge!.dispatcher, local.home, 5000);
  session = await openApp(runners, { viewport: { width: 1280, height: 820 } });
  ({ page, pageErrors } = session);
});
after(async () => {
  await session?.close();
  runners?.close();
  await remote?.close();
  await local?.close();
});

const nav = (name: string) =>
  page.getByRole("navigation", { name: "Main" }).getByRole("button", { name, exact: true });
const runnerInUse = () => page.getByLabel("Runner in use");

async function modelsListed(): Promise<string> {
  await nav("Models").click();
  await page.getByRole("heading", { name: "Models", exact: true }).waitFor();
  await page.getByRole("row").nth(1).waitFor();
  return (await page.locator("table").first().textContent()) ?? "";
}

test(
  "switch to a remote runner with its key, see its models, and back",
  { skip: rendererMissing ?? false },
  async () => {
    await runnerInUse().getByText("Runner: this computer").waitFor();
    assert.match(await modelsListed(), new RegExp(TINY_MODEL));

    await nav("Settings").click();
    const runnersForm = page.getByRole("form", { name: "Runners" });
    await runnersForm.getByLabel("A remote runner").check();
    await runnersForm.getByLabel("Runner URL").fill(remote.url);
    await runnersForm.getByLabel("Runner API key").fill("not-the-key-000");
    await runnersForm.getByRole("button", { name: "Use this runner" }).click();
    await page
      .getByRole("alert")
      .getByText(/cannot connect to/)
      .waitFor();
    await runnerInUse().getByText("Runner: this computer").waitFor();

    await runnersForm.getByLabel("Runner API key").fill(KEY);
    await runnersForm.getByRole("button", { name: "Use this runner" }).click();
    const host = new URL(remote.url).host;
    await runnerInUse().getByText(`Runner: ${host}`).waitFor({ timeout: 30_000 });
    const listed = await modelsListed();
    assert.match(listed, new RegExp(REMOTE_MODEL));
    assert.doesNotMatch(listed, new RegExp(TINY_MODEL), "the remote runner's models, not this computer's");
    await page.screenshot({ path: await screenshotPath("remote-runner-models") });
    await nav("Settings").click();
    await page.getByRole("form", { name: "Runners" }).getByText(`Now: ${host}`).waitFor();
    await page.screenshot({ path: await screenshotPath("remote-runner-settings") });

    // The choice is kept for the next start, readable by this user only (it holds the key).
    const saved = join(local.home, "connection.json");
    assert.equal((await stat(saved)).mode & 0o777, 0o600);
    assert.equal(JSON.parse(await readFile(saved, "utf8")).url, remote.url);

    await page.getByRole("form", { name: "Runners" }).getByLabel("This computer").check();
    await page
      .getByRole("form", { name: "Runners" })
      .getByRole("button", { name: "Use this runner" })
      .click();
    await runnerInUse().getByText("Runner: this computer").waitFor({ timeout: 30_000 });
    assert.match(await modelsListed(), new RegExp(TINY_MODEL));
    assert.deepEqual(pageErrors, []);
  },
);
