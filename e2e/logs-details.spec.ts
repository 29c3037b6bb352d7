/**
 * The log viewer opened by keyboard against a real runner: a refused API request (400) opens to the
 * reason the client was told and the request's parameters (never the prompt); a long engine line
 * opens to the whole line; rows are reached with Tab and moved through with the arrows; the line
 * counter is not announced; axe finds nothing critical or serious.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { screenshotPath } from "../testkit/browser.ts";
import { startBrowserApp, type BrowserApp } from "../testkit/browser-app.ts";
import { blockingViolations, describeViolations, AUDIT_PAGE } from "../testkit/axe.ts";
import { RENDERER_DIR, rendererMissing } from "../testkit/runner.ts";

let ui: BrowserApp;
let page: Page;
let pageErrors: string[] = [];
const PROMPT = "a prompt that must stay out of the logs";
const LONG_LINE = `llama_model_loader: ${"- kv 23: tokenizer.ggml.tokens arr[str,49152] ".repeat(6)}END-OF-LINE`;

before(async () => {
  if (rendererMissing) return;
  ui = await startBrowserApp(
    {},
    { name: "logs-details", model: false, rendererDir: RENDERER_DIR, bridge: { kind: "app" } },
    {
      beforeBrowser: async (app) => {
        const res = await fetch(`${app.url}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            model: "local/tiny:1",
            messages: [{ role: "user", content: PROMPT }],
            temperature: 9,
            max_tokens: 32,
          }),
        });
        assert.equal(res.status, 400);
        app.runner.logs.log({ level: "info", source: "engine", message: LONG_LINE });
      },
      page: AUDIT_PAGE,
      screen: "Logs",
    },
  );
  ({ page, pageErrors } = ui);
});

after(() => ui?.close());

const table = () => page.getByRole("table", { name: "Log lines" });
const refusedRow = () => page.locator(".log-row.request", { hasText: "/v1/chat/completions" });
const focusedText = () => page.evaluate(() => document.activeElement?.textContent ?? "");

test("a refused request opens to its reason and parameters, by keyboard", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  await refusedRow().waitFor();
  assert.match((await refusedRow().textContent()) ?? "", /400.*temperature/, "the reason shows in the row");
  // Tab from the last control before the list lands on one row of it, not on every row.
  await page.getByRole("button", { name: "Export" }).focus();
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("role")), "row");
  await page.keyboard.press("Home");
  for (let i = 0; i < 200 && !/\/v1\/chat\/completions/.test(await focusedText()); i++)
    await page.keyboard.press("ArrowDown");
  assert.match(await focusedText(), /POST\/v1\/chat\/completions400/, "the arrows reach the request row");
  const toggle = refusedRow().getByRole("button", { name: "Show details" });
  assert.equal(await toggle.getAttribute("aria-expanded"), "false");
  await page.keyboard.press("Enter");
  const details = refusedRow().locator(".log-details");
  await details.waitFor();
  const text = (await details.textContent()) ?? "";
  assert.match(text, /Reasontemperature must be <= 2[^]*\(invalid_value\)/);
  assert.match(text, /Parametersmodel="local\/tiny:1"\s+messages=\(1 item\)\s+temperature=9\s+max_tokens=32/);
  assert.ok(!text.includes(PROMPT), "the prompt is not shown");
  assert.equal(
    await refusedRow().getByRole("button", { name: "Hide details" }).getAttribute("aria-expanded"),
    "true",
  );
  await page.screenshot({ path: await screenshotPath("logs-refused-request") });
  await page.keyboard.press("ArrowLeft");
  await details.waitFor({ state: "detached" });
});

test("a long engine line opens to the whole line; a short one does not open", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  const long = page.locator(".log-row", { hasText: "llama_model_loader" });
  await long.waitFor();
  const cut = await long.locator(".log-message").evaluate((e) => e.scrollWidth > e.clientWidth);
  assert.ok(cut, "the line is cut at the edge of the list");
  await long.locator(".log-line").focus();
  await page.keyboard.press("Enter");
  const full = long.locator(".log-full");
  await full.waitFor();
  assert.equal(await full.textContent(), LONG_LINE);
  assert.ok(await full.evaluate((e) => e.scrollWidth <= e.clientWidth), "the whole line wraps in view");
  await page.screenshot({ path: await screenshotPath("logs-long-line") });
  await page.keyboard.press("Enter");
  await full.waitFor({ state: "detached" });

  const short = page.locator(".log-row:not(.expandable)").first();
  await short.locator(".log-line").click();
  assert.equal(await short.locator(".log-details").count(), 0);
});

test("the line counter is not a live region; the table's structure and contrast pass axe", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  const live = await page.evaluate(() =>
    [...document.querySelectorAll('[role="status"], [role="log"], [aria-live]')]
      .filter((e) => e.getAttribute("aria-live") !== "off")
      .map((e) => e.textContent ?? ""),
  );
  assert.ok(
    live.every((text) => !/shown/.test(text)),
    `no live region holds the counter: ${JSON.stringify(live)}`,
  );
  await page.getByText(/\d+ shown of \d+ held/).waitFor();
  await refusedRow().locator(".log-line").click();
  await refusedRow().locator(".log-details").waitFor();
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const violations = await blockingViolations(page);
    assert.deepEqual(violations, [], describeViolations(`Logs (${scheme})`, violations));
  }
  assert.ok((await table().getByRole("row").count()) > 2);
  assert.deepEqual(pageErrors, []);
});
