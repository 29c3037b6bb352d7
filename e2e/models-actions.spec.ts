/**
 * The Models screen as a user meets it, against a real runner with two generated models: Tag asks
 * before replacing another model and keeps a refused name in the form; Push says which model failed and
 * why in words; the row's actions stay compact at 1024 px. Screenshots at 1280×800 and 1024×640.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, openAppPage, screenshotPath } from "../testkit/browser.ts";
import { RENDERER_DIR, rendererMissing, startTestRunner, type TestRunner } from "../testkit/runner.ts";
import { startAppHost, type AppHost } from "../testkit/app-host.ts";
import { freePort } from "../testkit/registry.ts";
import { writeTinyModel } from "../testkit/gguf-writer.ts";
import { importGguf } from "../electron/runner/distribution/packaging/package-model.ts";

const why = rendererMissing ?? "";
const SMALL = "demo/tiny:1";
const BIG = "demo/m25:1";

let t: TestRunner;
let app: AppHost;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
  if (rendererMissing) return;
  t = await startTestRunner(
    { parallel: 1, contextSize: 256 },
    {
      name: "models-e2e",
      model: { seed: 2, ref: SMALL },
      rendererDir: RENDERER_DIR,
      bridge: { kind: "app" },
    },
  );
  const big = await writeTinyModel(join(t.home, "big.gguf"), {
    seed: 7,
    embeddingLength: 256,
    blockCount: 6,
  });
  await importGguf(t.library, big, BIG);
  app = await startAppHost(t.bridge!.dispatcher, RENDERER_DIR);
  browser = await launchBrowser();
  page = await openAppPage(browser, app.url, pageErrors);
  await page.setViewportSize({ width: 1280, height: 800 });
});

after(async () => {
  await browser?.close();
  await app?.close();
  await t?.close();
});

const nav = (name: string) =>
  page.getByRole("navigation", { name: "Main" }).getByRole("button", { name, exact: true });
const row = (ref: string) => page.getByRole("row", { name: ref });
/** Runs a row action, whether it shows as a button or sits in the row's "More" menu. */
async function rowAction(ref: string, action: string) {
  const r = row(ref);
  const direct = r.getByRole("button", { name: action, exact: true });
  if (!(await direct.isVisible())) await r.getByText("More", { exact: true }).click();
  await direct.click();
}
const digestOf = async (ref: string) => (await t.library.resolve(ref)).digest;

test("tag: the input takes focus; a name another model has asks before replacing it", async (x) => {
  if (rendererMissing) return x.skip(why);
  await nav("Models").click();
  await row(BIG).waitFor();
  const bigDigest = await digestOf(BIG);
  const smallDigest = await digestOf(SMALL);

  await rowAction(SMALL, "Tag");
  const input = page.getByLabel("Tag target");
  assert.equal(await input.evaluate((el) => el === document.activeElement), true, "the input has focus");
  await page.keyboard.type(BIG);
  await page.keyboard.press("Enter");
  const form = page.getByRole("form", { name: `Tag ${SMALL}` });
  const conflict = form.getByRole("alert");
  await conflict.getByText("already names another model").waitFor();
  assert.match(await conflict.innerText(), /demo\/m25:1 already names another model \(\d+(\.\d+)? [KM]B\)/);
  assert.equal(await input.inputValue(), BIG, "the text stays");
  assert.equal(await digestOf(BIG), bigDigest, "nothing replaced before the user says so");
  await page.screenshot({ path: await screenshotPath("models-tag-conflict") });
  await page.setViewportSize({ width: 1024, height: 640 });
  await page.screenshot({ path: await screenshotPath("models-tag-conflict-1024") });
  await page.setViewportSize({ width: 1280, height: 800 });

  await conflict.getByRole("button", { name: "Keep it" }).click();
  await conflict.waitFor({ state: "detached" });
  assert.equal(await digestOf(BIG), bigDigest);

  // A name the runner refuses: the reason at the field, the form and the text kept.
  await input.fill("Not A Ref!!");
  await form.getByRole("button", { name: "Tag", exact: true }).click();
  const refused = form.getByRole("alert");
  await refused.getByText(/invalid model reference/).waitFor();
  assert.equal(await input.getAttribute("aria-invalid"), "true");
  assert.equal(await input.inputValue(), "Not A Ref!!");

  await input.fill(BIG);
  await form.getByRole("button", { name: "Tag", exact: true }).click();
  await conflict.getByRole("button", { name: "Replace" }).click();
  await form.waitFor({ state: "detached" });
  await page.getByText(`Tagged ${SMALL} as ${BIG}`).waitFor();
  assert.equal(await digestOf(BIG), smallDigest, "replaced once the user said so");
});

test("push: a failure names the model and a human reason; the next action starts without it", async (x) => {
  if (rendererMissing) return x.skip(why);
  const port = await freePort();
  const target = `127.0.0.1:${port}/team/pushed:1`;
  await rowAction(SMALL, "Push");
  const input = page.getByLabel("Push target");
  assert.equal(await input.evaluate((el) => el === document.activeElement), true, "the input has focus");
  await input.fill(target);
  const form = page.getByRole("form", { name: `Push ${SMALL}` });
  await form.getByRole("button", { name: "Push", exact: true }).click();
  const alert = form.getByRole("alert");
  await alert.waitFor({ timeout: 30_000 });
  const said = await alert.innerText();
  assert.match(
    said,
    new RegExp(`Could not push ${SMALL} to ${target}: Nothing answers at 127\\.0\\.0\\.1:${port}`),
  );
  assert.doesNotMatch(said, /ECONNREFUSED/);
  assert.equal(await input.inputValue(), target, "the text stays for another try");
  await page.screenshot({ path: await screenshotPath("models-push-failed") });

  await form.getByRole("button", { name: "Cancel" }).click();
  await rowAction(SMALL, "Tag");
  assert.equal(await page.getByText(/Could not push/).count(), 0, "the failure went with its form");
  await page.getByRole("button", { name: "Cancel" }).click();
  assert.deepEqual(pageErrors, []);
});
