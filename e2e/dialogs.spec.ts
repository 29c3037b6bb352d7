/**
 * Dialogs by keyboard against a real runner with a generated model: Inspect on Models opens a modal
 * that takes the focus, keeps Tab inside, leaves the page behind inert, closes on Escape and gives the
 * focus back, with a summary above the raw metadata; the delete confirmation behaves the same, with
 * the focus on Cancel, and deletes only when asked.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";
import { screenshotPath, modelRowAction } from "../testkit/browser.ts";
import { startBrowserApp, type BrowserApp } from "../testkit/browser-app.ts";
import { RENDERER_DIR, rendererMissing, TINY_MODEL, type TestRunner } from "../testkit/runner.ts";

let ui: BrowserApp;
let app: TestRunner;
let page: Page;
let pageErrors: string[] = [];

before(async () => {
  if (rendererMissing) return;
  ui = await startBrowserApp(
    {},
    { name: "dialogs", rendererDir: RENDERER_DIR, bridge: { kind: "app" } },
    { screen: "Models" },
  );
  ({ app, page, pageErrors } = ui);
});

after(() => ui?.close());

const modelRow = () => page.getByRole("row", { name: TINY_MODEL });

const focusInside = (dialog: Locator) => dialog.evaluate((d) => d.contains(document.activeElement));
const focusedName = () =>
  page.evaluate(() => {
    const e = document.activeElement as HTMLElement | null;
    return e?.getAttribute("aria-label") ?? e?.textContent?.trim() ?? "";
  });

/** Tab and Shift+Tab many times over: the focus never leaves the dialog. */
async function assertTabStaysIn(dialog: Locator) {
  for (const key of ["Tab", "Shift+Tab"])
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press(key);
      assert.ok(await focusInside(dialog), `after ${i + 1} × ${key} the focus is still in the dialog`);
    }
}

test("Inspect opens a modal with a summary; Tab stays in it; Escape closes it and restores the focus", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  // By keyboard: More, then Inspect in its list.
  await modelRow()
    .getByRole("button", { name: /^More actions for / })
    .focus();
  await page.keyboard.press("Enter");
  await modelRow().getByRole("button", { name: "Inspect", exact: true }).focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: TINY_MODEL });
  await dialog.waitFor();
  assert.ok(await focusInside(dialog), "the dialog takes the focus");
  assert.equal(await dialog.evaluate((d) => d.matches(":modal")), true, "opened with showModal()");

  const summary = dialog.getByRole("definition");
  const terms = await dialog.getByRole("term").allTextContents();
  assert.deepEqual(terms.slice(0, 6), [
    "Architecture",
    "Parameters",
    "Quantization",
    "Context length",
    "Size",
    "License",
  ]);
  const values = await summary.allTextContents();
  assert.equal(values[0], "llama");
  assert.match(values[3]!, /^[\d,]+ tokens$/);
  assert.match(values[4]!, /\d+(\.\d)? (KB|MB)/);
  assert.ok(
    await dialog.getByRole("rowheader", { name: "general.architecture" }).isVisible(),
    "raw metadata below",
  );

  await assertTabStaysIn(dialog);
  // The page behind is covered: a pointer over the navigation reaches the dialog's backdrop.
  const hit = await page.evaluate(() => {
    const r = document.querySelector(".nav-item")!.getBoundingClientRect();
    return document.elementFromPoint(r.x + 4, r.y + 4)?.tagName;
  });
  assert.equal(hit, "DIALOG");
  await page.screenshot({ path: await screenshotPath("models-inspect-dialog") });

  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  assert.equal(
    await focusedName(),
    `More actions for ${TINY_MODEL}`,
    "the focus goes back to the row's menu",
  );
});

test("the delete confirmation is modal, focuses Cancel, and deletes only when asked", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  await modelRowAction(modelRow(), "Delete");
  const confirm = page.getByRole("alertdialog", { name: "Confirm delete" });
  await confirm.waitFor();
  assert.equal(await focusedName(), "Cancel", "the safe choice has the focus");
  assert.equal(await confirm.evaluate((d) => d.matches(":modal")), true);
  await assertTabStaysIn(confirm);
  await page.screenshot({ path: await screenshotPath("models-delete-dialog") });
  await page.keyboard.press("Escape");
  await confirm.waitFor({ state: "detached" });
  assert.equal(await modelRow().count(), 1, "Escape deletes nothing");
  assert.equal(
    await focusedName(),
    `More actions for ${TINY_MODEL}`,
    "the focus goes back to the row's menu",
  );

  await modelRowAction(modelRow(), "Delete");
  await confirm.getByRole("button", { name: "Delete model" }).click();
  await modelRow().waitFor({ state: "detached" });
  assert.deepEqual(await app.library.list().then((l) => l.map((m) => m.ref)), []);
  assert.deepEqual(pageErrors, []);
});
