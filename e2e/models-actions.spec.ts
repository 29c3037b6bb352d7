/**
 * The Models screen as a user meets it, against a real runner with two generated models: Tag asks
 * before replacing another model and keeps a refused name in the form; Push says which model failed and
 * why in words; "Last used" follows chats; a loaded model shows its memory and when it unloads; the
 * table fits 1024 px; with no models, a way to the Catalog, and Chat will not send without a model.
 * Screenshots at 1280×800 and 1024×640.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { screenshotPath } from "../testkit/browser.ts";
import { openApp, type AppSession } from "../testkit/app-session.ts";
import { RENDERER_DIR, rendererMissing, startTestRunner, type TestRunner } from "../testkit/runner.ts";
import { freePort } from "../testkit/registry.ts";
import { startAppHost, type AppHost } from "../testkit/app-host.ts";
import { writeTinyModel } from "../testkit/gguf-writer.ts";
import { importGguf } from "../electron/runner/distribution/packaging/package-model.ts";

const why = rendererMissing ?? "";
const SMALL = "demo/tiny:1";
const BIG = "demo/m25:1";

let t: TestRunner;
let session: AppSession;
let page: Page;
let pageErrors: string[] = [];

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
  session = await openApp(t);
  ({ page, pageErrors } = session);
});

let restarted: AppHost | undefined;
after(async () => {
  await restarted?.close();
  await session?.close().catch(() => {});
  await t?.close();
});

const nav = (name: string) =>
  page.getByRole("navigation", { name: "Main" }).getByRole("button", { name, exact: true });
const row = (ref: string) => page.getByRole("row", { name: ref });
/** A row action from the row's "More" menu. */
async function rowAction(ref: string, action: string) {
  await row(ref)
    .getByRole("button", { name: `More actions for ${ref}` })
    .click();
  await row(ref).getByRole("button", { name: action, exact: true }).click();
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

test("a chat updates Last used; a loaded model shows its memory and when it unloads", async (x) => {
  if (rendererMissing) return x.skip(why);
  const reply = await fetch(`${t.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: SMALL, messages: [{ role: "user", content: "Hi" }], max_tokens: 2 }),
  });
  assert.equal(reply.status, 200, await reply.text());
  const small = row(SMALL);
  await small.getByText("Loaded", { exact: true }).waitFor({ timeout: 60_000 });
  // Coming back to the screen lists the models as they are now.
  await nav("Catalog").click();
  await nav("Models").click();
  await small.getByText("just now").waitFor();
  await small.getByText(/unloads at/).waitFor();
  const state = await small.locator("td").nth(4).innerText();
  assert.match(state, /Loaded\n\d+(\.\d+)? [KMG]B in memory, unloads at \d/, state);
  assert.equal(await row(BIG).getByText("never").count(), 1, "an unused model stays 'never'");
  await page.screenshot({ path: await screenshotPath("models-loaded") });
});

test("at 1024 px the actions stay on one line and the table fits; the More menu opens and closes", async (x) => {
  if (rendererMissing) return x.skip(why);
  await page.setViewportSize({ width: 1024, height: 640 });
  try {
    const height = await row(SMALL).evaluate((el) => el.getBoundingClientRect().height);
    await page.screenshot({ path: await screenshotPath("models-1024") });
    // Six stacked buttons made a row about 190 px high; now the state's two lines are the tallest cell.
    assert.ok(height < 100, `a model row is ${height} px high`);
    const fits = await page
      .locator(".models-table")
      .evaluate((el) => el.getBoundingClientRect().right <= document.documentElement.clientWidth);
    assert.ok(fits, "the table ends inside the window");
    const more = row(SMALL).getByRole("button", { name: `More actions for ${SMALL}` });
    await more.click();
    assert.equal(await more.getAttribute("aria-expanded"), "true");
    await page.screenshot({ path: await screenshotPath("models-1024-menu") });
    await page.keyboard.press("Escape");
    assert.equal(await more.getAttribute("aria-expanded"), "false");
    assert.equal(await more.evaluate((el) => el === document.activeElement), true, "focus back on More");
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 });
  }
});

test("with no models: a button to the Catalog, and Chat does not send without a model", async (x) => {
  if (rendererMissing) return x.skip(why);
  await t.runner.engine.unloadAll();
  for (const m of await t.library.list()) await t.library.remove(m.ref);
  await nav("Catalog").click();
  await nav("Models").click();
  await page.getByText("No models yet").waitFor();
  await page.screenshot({ path: await screenshotPath("models-empty") });
  await page.getByRole("button", { name: "Browse the Catalog" }).click();
  await page.getByRole("heading", { name: "Popular small models" }).waitFor();

  await nav("Chat").click();
  const box = page.getByLabel("Message");
  await box.fill("Anyone there?");
  const send = page.getByRole("button", { name: "Send" });
  assert.equal(await send.isDisabled(), true, "Send is off without a model");
  await page.getByText("Pick a model to send").waitFor();
  await box.press("Enter");
  assert.equal(await box.inputValue(), "Anyone there?", "Enter keeps the text: nothing was sent");
  await page.screenshot({ path: await screenshotPath("chat-no-model") });
  assert.deepEqual(pageErrors, []);
});

test("while the runner cannot be reached the sidebar says Reconnecting…, with Stop off", async (x) => {
  if (rendererMissing) return x.skip(why);
  const status = page.getByRole("status", { name: "Runner status" });
  await status.getByText("Running").waitFor();
  const port = Number(new URL(session.app.url).port);
  await session.app.close();
  await status.getByText("Reconnecting…").waitFor({ timeout: 15_000 });
  assert.equal(await page.getByRole("button", { name: "Stop runner" }).isDisabled(), true);
  await page.screenshot({ path: await screenshotPath("sidebar-reconnecting") });
  restarted = await startAppHost(t.bridge!.dispatcher, RENDERER_DIR, port);
  await status.getByText("Running").waitFor({ timeout: 30_000 });
  assert.equal(await page.getByRole("button", { name: "Stop runner" }).isDisabled(), false);
});
