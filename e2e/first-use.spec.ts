/**
 * What a new user meets first, in a browser against a real runner with no conversation yet: the Chat
 * screen has a message box ready at once (the first message creates the conversation), "New chat"
 * hands the keyboard to the message box and never piles up empty chats, and Settings offers the log
 * level, saying when it applies.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
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
const messageBox = () => page.getByRole("textbox", { name: "Message" });
const conversationRows = () => page.locator(".chat-item");
const focusedLabel = () => page.evaluate("document.activeElement?.getAttribute('aria-label') ?? null");

/** Conversations the runner has stored: one file each, besides the index. */
async function storedConversations(): Promise<number> {
  const names = await readdir(join(app.home, "conversations")).catch(() => [] as string[]);
  return names.filter((n) => n.endsWith(".json") && n !== "index.json").length;
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stops the reply if it is still streaming: these tests are about the conversation, not the text. */
async function settle() {
  const stop = page.getByRole("button", { name: "■ Stop" });
  if (await stop.isVisible()) await stop.click();
  await page.getByRole("button", { name: "Send" }).waitFor({ timeout: 60_000 });
}

test("with no conversation yet, a message box is ready at once and the first message creates one", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  await nav("Chat").click();
  await messageBox().waitFor();
  assert.equal(await messageBox().isEditable(), true);
  assert.equal(await page.getByText("No conversations yet.").count(), 1);
  const model = page.getByRole("combobox", { name: "Model" });
  await until(async () => (await model.inputValue()) === CHAT_APP_MODEL, "the installed model is picked");
  assert.equal(await storedConversations(), 0, "nothing is created before the first message");
  await page.screenshot({ path: await screenshotPath("chat-first-use") });

  await messageBox().fill("hello from a new user");
  await messageBox().press("Enter");
  await page.getByRole("article", { name: "Your message" }).waitFor();
  await until(
    async () => /hello from a new user/.test((await page.locator(".chat-item.active").textContent()) ?? ""),
    "the first message names the new conversation",
  );
  await settle();
  assert.equal(await conversationRows().count(), 1);
  assert.equal(await storedConversations(), 1);
  assert.deepEqual(pageErrors, []);
});

test("New chat puts the focus in the message box; a typed sentence and more clicks make one chat", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  const newChat = page.getByRole("button", { name: "+ New chat" });
  await newChat.click();
  await page.locator(".chat-title", { hasText: /^New chat$/ }).waitFor();
  await until(async () => (await focusedLabel()) === "Message", "the message box has the focus");
  // The sentence goes into the message box: its spaces no longer press "New chat" again.
  await page.keyboard.type("a sentence with several spaces in it");
  assert.equal(await messageBox().inputValue(), "a sentence with several spaces in it");
  // Pressing New chat again (mouse or keyboard) reuses the empty conversation.
  await newChat.click();
  await newChat.focus();
  await page.keyboard.press("Space");
  await until(async () => (await focusedLabel()) === "Message", "the focus is back in the message box");
  await until(async () => (await conversationRows().count()) === 2, "the list shows both conversations");
  assert.equal(await storedConversations(), 2, "one conversation besides the first, not one per click");
  await page.screenshot({ path: await screenshotPath("chat-new") });

  // The reused conversation takes the message.
  await messageBox().fill("second conversation");
  await messageBox().press("Enter");
  await until(
    async () => /second conversation/.test((await page.locator(".chat-item.active").textContent()) ?? ""),
    "the message names the reused conversation",
  );
  await settle();
  assert.equal(await storedConversations(), 2);
  assert.deepEqual(pageErrors, []);
});

test("Settings: the log level is there, says it applies at the next start, and is saved", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  await nav("Settings").click();
  const level = page.getByRole("combobox", { name: "Log level" });
  await level.waitFor();
  assert.equal(await level.inputValue(), "info");
  assert.deepEqual(await level.locator("option").allTextContents(), ["debug", "info", "warn", "error"]);
  assert.match(
    await page.locator(".field", { has: level }).locator(".field-hint").innerText(),
    /Applies the next time Hangar starts\./,
  );
  await level.selectOption("debug");
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByText("Settings saved.").waitFor();
  assert.equal(app.runner.settings().logLevel, "debug");

  await page.reload();
  await nav("Settings").click();
  await level.waitFor();
  assert.equal(await level.inputValue(), "debug");
  await level.scrollIntoViewIfNeeded();
  await page.screenshot({ path: await screenshotPath("settings-log-level"), fullPage: true });
  assert.deepEqual(pageErrors, []);
});
