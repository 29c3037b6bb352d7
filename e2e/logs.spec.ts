/**
 * The live log viewer in a browser against a real runner with a generated model: the trace of a
 * chat made in the app and the request row of a call made with fetch from outside; columns line up
 * with and without a model badge; filters and search narrow the list; pause holds new lines back with
 * a counter; clear; export.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { screenshotPath } from "../testkit/browser.ts";
import { startBrowserApp, type BrowserApp } from "../testkit/browser-app.ts";
import { CHAT_APP_MODEL, chatAppOptions, rendererMissing, type TestRunner } from "../testkit/runner.ts";

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

const nav = (name: string) =>
  page.getByRole("navigation", { name: "Main" }).getByRole("button", { name, exact: true });
/** The table's rows of log lines (not its header row, nor the details row of an opened line). */
const rows = () =>
  page
    .getByRole("table", { name: "Log lines" })
    .getByRole("row")
    .filter({ has: page.locator(".log-time") });
const requestRow = () => page.locator(".log-row.request", { hasText: "/v1/chat/completions" });

/** A chat completion from outside the app, as any OpenAI client would make it. */
async function outsideRequest(content: string) {
  const res = await fetch(`${app.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      model: CHAT_APP_MODEL,
      messages: [{ role: "user", content }],
      max_tokens: 6,
      temperature: 0,
    }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  await res.json();
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("the viewer shows the chat made in the app and a request made with fetch from outside", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  await nav("Chat").click();
  await page.getByRole("button", { name: "+ New chat" }).first().click();
  await page.locator(".chat-title", { hasText: /^New chat$/ }).waitFor();
  await page.getByRole("combobox", { name: "Model" }).selectOption(CHAT_APP_MODEL);
  // A short reply: a generated model rarely stops by itself, and the trace is what this test reads.
  await page.getByRole("button", { name: "⚙ Settings" }).click();
  const settings = page.getByRole("region", { name: "Conversation settings" });
  await settings.getByLabel("Max tokens", { exact: true }).fill("24");
  await settings.getByRole("button", { name: "Save" }).click();
  await settings.waitFor({ state: "detached" });
  await page.getByRole("textbox", { name: "Message" }).fill("hello from the chat screen");
  await page.getByRole("button", { name: "Send" }).click();
  await page.getByRole("article", { name: "Reply", exact: true }).waitFor({ timeout: 60_000 });

  await nav("Logs").click();
  await page.locator(".log-row", { hasText: 'chat reply in "hello from the chat screen"' }).waitFor();
  await outsideRequest("hello from outside");
  await requestRow().waitFor();
  const text = (await requestRow().textContent()) ?? "";
  assert.match(text, /POST\/v1\/chat\/completions200\d+ ms/);
  assert.match(text, /\d+→\d+ tok/, "the row carries token counts");
  assert.match(text, new RegExp(CHAT_APP_MODEL.replace(/[/.:]/g, "\\$&")));
  // Engine lines (the worker and llama.cpp) are there too.
  assert.ok((await page.locator(".log-row .log-source.engine").count()) > 0, "engine lines are shown");

  await requestRow().click();
  const details = page.locator(".log-details");
  await details.waitFor();
  assert.match((await details.textContent()) ?? "", /Tokens\d+ prompt, \d+ completion/);
  await page.screenshot({ path: await screenshotPath("logs") });
  await requestRow().locator(".log-line").click();
  await details.waitFor({ state: "detached" });
});

test("every column stays put, whether or not a row carries a model badge", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  const columns = [".log-time", ".log-level", ".log-source"];
  const layout: { badge: boolean; edges: string }[] = [];
  for (const row of await rows().all()) {
    const boxes = await Promise.all(columns.map((c) => row.locator(c).boundingBox()));
    const edges = boxes.map((b) => `${b!.x.toFixed(1)}+${b!.width.toFixed(1)}`).join(" ");
    layout.push({ badge: (await row.locator(".log-model").count()) > 0, edges });
  }
  assert.ok(layout.some((r) => r.badge) && layout.some((r) => !r.badge), "rows of both kinds are shown");
  const distinct = [...new Set(layout.map((r) => r.edges))];
  assert.deepEqual(distinct, [layout[0]!.edges], "time, level and source sit at the same x in every row");
});

test("level, source, model and text filters narrow the list; search is highlighted", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  const all = await rows().count();
  assert.ok(all > 3);
  const levels = page.getByRole("group", { name: "Levels" });
  const sources = page.getByRole("group", { name: "Sources" });

  await sources.getByRole("button", { name: "http" }).click();
  assert.equal(await requestRow().count(), 0, "http rows hidden");
  await sources.getByRole("button", { name: "http" }).click();
  await requestRow().waitFor();

  for (const level of ["debug", "info"]) await levels.getByRole("button", { name: level }).click();
  const warnOrWorse = await page.locator(".log-row .log-level").allTextContents();
  assert.ok(
    warnOrWorse.every((l) => l === "warn" || l === "error"),
    `only warnings and errors: ${warnOrWorse}`,
  );
  for (const level of ["debug", "info"]) await levels.getByRole("button", { name: level }).click();

  await page.getByRole("combobox", { name: "Model" }).selectOption(CHAT_APP_MODEL);
  const models = await page.locator(".log-row .log-model").allTextContents();
  assert.ok(models.length > 0 && models.every((m) => m === CHAT_APP_MODEL));
  await page.getByRole("combobox", { name: "Model" }).selectOption("");

  await page.getByRole("searchbox", { name: "Search logs" }).fill("CHAT REPLY");
  await until(async () => (await rows().count()) === 1, "only the chat line matches");
  assert.equal((await page.locator(".log-row mark").first().textContent())?.toLowerCase(), "chat reply");
  await page.getByRole("searchbox", { name: "Search logs" }).fill("");
  await until(async () => (await rows().count()) >= all, "the list is whole again");
});

test("pause holds new lines back with a counter and drops none; clear and export", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  await page.getByRole("button", { name: "❚❚ Pause" }).click();
  const shown = await requestRow().count();
  await outsideRequest("while paused");
  const resume = page.getByRole("button", { name: /▶ Resume \(\d+ new\)/ });
  await resume.waitFor();
  assert.equal(await requestRow().count(), shown, "the view stays still while paused");
  await resume.click();
  await until(async () => (await requestRow().count()) === shown + 1, "the held request row appears");

  await page.getByRole("searchbox", { name: "Search logs" }).fill("/v1/chat/completions");
  await until(async () => (await rows().count()) === 2, "both requests match");
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export" }).click();
  const file = await (await download).path();
  const exported = (await readFile(file, "utf8")).trim().split("\n");
  assert.equal(exported.length, 2);
  assert.ok(exported.every((line) => line.includes("POST /v1/chat/completions 200")));

  await page.getByRole("searchbox", { name: "Search logs" }).fill("");
  await page.getByRole("button", { name: "Clear" }).click();
  await page.getByText("No log lines match.").waitFor();
  assert.deepEqual(pageErrors, []);
});
