/**
 * Logs and Settings in a 1024×640 window against a real runner: nothing runs past the window's right
 * edge, every control is on screen or reachable by scrolling the page down, Settings' Save and Revert
 * stay in view while the form scrolls, an opened request row fits, and axe finds nothing critical or
 * serious at this size.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { screenshotPath } from "../testkit/browser.ts";
import { startBrowserApp, type BrowserApp } from "../testkit/browser-app.ts";
import { blockingViolations, describeViolations } from "../testkit/axe.ts";
import { RENDERER_DIR, rendererMissing } from "../testkit/runner.ts";

const WIDTH = 1024;
const HEIGHT = 640;
let ui: BrowserApp;
let page: Page;
let pageErrors: string[] = [];

before(async () => {
  if (rendererMissing) return;
  ui = await startBrowserApp(
    {},
    { name: "narrow", rendererDir: RENDERER_DIR, bridge: { kind: "app" } },
    {
      beforeBrowser: async (app) => {
        const refused = await fetch(`${app.url}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            model: "local/tiny:1",
            messages: [],
            max_tokens: 8,
            temperature: 0.7,
            top_p: 0.9,
          }),
        });
        assert.equal(refused.status, 400);
      },
      page: { viewport: { width: WIDTH, height: HEIGHT }, bypassCSP: true },
    },
  );
  ({ page, pageErrors } = ui);
});

after(() => ui?.close());

const nav = (name: string) =>
  page.getByRole("navigation", { name: "Main" }).getByRole("button", { name, exact: true });

/** Elements in the screen whose right edge is past the window's, or that scroll sideways. */
function overflowing(): Promise<string[]> {
  return page.evaluate((width) => {
    const out: string[] = [];
    for (const e of document.querySelectorAll<HTMLElement>("main *")) {
      if (e.closest(".log-scroller")) continue; // the log list clips long lines by design; they open
      const box = e.getBoundingClientRect();
      if (box.width > 0 && box.right > width + 0.5)
        out.push(`${e.tagName.toLowerCase()}.${e.className} ends at ${Math.round(box.right)}`);
      const style = getComputedStyle(e);
      if (e.scrollWidth > e.clientWidth + 1 && /auto|scroll/.test(style.overflowX))
        out.push(`${e.tagName.toLowerCase()}.${e.className} scrolls sideways`);
    }
    return out;
  }, WIDTH);
}

async function assertAxeClean(where: string) {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const violations = await blockingViolations(page);
    assert.deepEqual(
      violations,
      [],
      describeViolations(`${where} at ${WIDTH}×${HEIGHT} (${scheme})`, violations),
    );
  }
  await page.emulateMedia({ colorScheme: "light" });
}

test("Logs at 1024×640: the toolbar, the list and the status bar fit; an opened request fits", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  await nav("Logs").click();
  const request = page.locator(".log-row.request", { hasText: "/v1/chat/completions" });
  await request.waitFor();
  await request.locator(".log-line").click();
  await request.locator(".log-details").waitFor();
  assert.deepEqual(await overflowing(), []);
  for (const name of ["Export", "Clear", "❚❚ Pause"]) {
    const box = (await page.getByRole("button", { name, exact: true }).boundingBox())!;
    assert.ok(box.x + box.width <= WIDTH && box.y + box.height <= HEIGHT, `${name} is on screen`);
  }
  const list = (await page.getByRole("table", { name: "Log lines" }).boundingBox())!;
  assert.ok(list.height >= 10 * 24, `the list shows at least ten lines (${list.height} px)`);
  const status = (await page.getByText(/\d+ shown of \d+ held/).boundingBox())!;
  assert.ok(status.y + status.height <= HEIGHT, "the status bar is on screen");
  const reason = request.locator(".log-reason");
  assert.equal(
    await reason.evaluate((e) => getComputedStyle(e).textOverflow),
    "ellipsis",
    "a long reason ends in an ellipsis at the edge",
  );
  assert.ok(await reason.evaluate((e) => e.scrollWidth > e.clientWidth), "the reason is cut at 1024 px");
  const details = (await request.locator(".log-details").boundingBox())!;
  assert.ok(details.x + details.width <= WIDTH, "the opened request's details fit the width");
  await page.screenshot({ path: await screenshotPath("narrow-logs") });
  await assertAxeClean("Logs");
});

test("Settings at 1024×640: no field runs past the edge; Save and Revert stay in view", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  await nav("Settings").click();
  const save = page.getByRole("button", { name: "Save settings" });
  await save.waitFor();
  assert.deepEqual(await overflowing(), []);
  for (const position of ["top", "middle", "bottom"] as const) {
    await page.evaluate((at) => {
      const main = document.querySelector("main")!;
      main.scrollTop = at === "top" ? 0 : at === "middle" ? main.scrollHeight / 2 : main.scrollHeight;
    }, position);
    const box = (await save.boundingBox())!;
    assert.ok(
      box.y >= 0 && box.y + box.height <= HEIGHT,
      `Save is in view with the form scrolled to the ${position}`,
    );
    await page.screenshot({ path: await screenshotPath(`narrow-settings-${position}`) });
  }
  // What the sticky bar covers can still be scrolled into view: the last field sits above it.
  const last = page.getByRole("combobox", { name: "Log level" });
  await last.scrollIntoViewIfNeeded();
  const lastBox = (await last.boundingBox())!;
  assert.ok(
    lastBox.y + lastBox.height <= (await save.boundingBox())!.y,
    "the last field is not under the bar",
  );
  await assertAxeClean("Settings");
  assert.deepEqual(pageErrors, []);
});
