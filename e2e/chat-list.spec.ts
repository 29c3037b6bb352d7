/**
 * The chat list and the message box, in a browser against a real runner with a generated model: the
 * row takes the first message's title at once, "Chat" on Models makes no second empty conversation,
 * deleting the open conversation opens another (or the empty state), a half-typed message survives
 * other screens and conversations, Escape stops a reply, and a finished reply (not each token) is
 * announced in a polite live region.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { screenshotPath } from "../testkit/browser.ts";
import { CHAT_APP_MODEL, rendererMissing } from "../testkit/runner.ts";
import {
  idle,
  inProgress,
  nav,
  newChat,
  replies,
  send,
  setParameters,
  startChatApp,
  streamedText,
  until,
  type ChatApp,
} from "./chat-page.ts";

let chat: ChatApp;
let page: Page;

before(async () => {
  if (rendererMissing) return;
  chat = await startChatApp();
  page = chat.page;
});

after(() => chat?.close());

const rows = () => page.locator(".chat-item");
const activeRow = () => page.locator(".chat-item.active");
const title = () => page.locator(".chat-title").textContent();
const messageBox = () => page.getByRole("textbox", { name: "Message" });
const announcer = () => page.locator(".chat-sr-only[role=status]");

test("the first message names the row at once; the finished reply is announced once, politely", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  await newChat(page, CHAT_APP_MODEL);
  // Temperature 0 and a seed: the same replies every run (the next test needs a long one).
  await setParameters(page, { Temperature: "0", Seed: "1", "Max tokens": "24" });
  await send(page, "Why do hangars have big doors?");
  await page.locator(".chat-title", { hasText: "Why do hangars have big doors?" }).waitFor();
  // As soon as the header has it, so has the row: never "New chat · 0 messages" beside it.
  const row = (await activeRow().textContent()) ?? "";
  assert.match(row, /Why do hangars have big doors\?/);
  assert.doesNotMatch(row, /New chat|0 messages/);
  await page.screenshot({ path: await screenshotPath("chat-list-first-message") });

  assert.equal(await announcer().getAttribute("aria-live"), "polite");
  if ((await inProgress(page).count()) === 1)
    assert.equal(await announcer().textContent(), "", "no token is announced");
  await until(() => idle(page), "the reply is done");
  assert.match((await announcer().textContent()) ?? "", /^Reply (finished|stopped|failed): /);
  assert.match((await activeRow().textContent()) ?? "", /2 messages/);
});

test("Escape stops a streaming reply", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  await setParameters(page, { "Max tokens": "1500" });
  await send(page, "and tell me everything about them");
  await until(async () => (await streamedText(page)).length > 5, "text streams in");
  await page.keyboard.press("Escape");
  await until(() => idle(page), "the reply stops");
  assert.match((await replies(page).last().textContent()) ?? "", /· stopped/);
  assert.match((await announcer().textContent()) ?? "", /^Reply stopped: /);
});

test("a half-typed message survives other screens and other conversations", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  const first = await title();
  await messageBox().fill("half a thought about doors");
  await nav(page, "Models").click();
  await nav(page, "Chat").click();
  await page.locator(".chat-title", { hasText: first ?? "" }).waitFor();
  assert.equal(await messageBox().inputValue(), "half a thought about doors");
  await page.getByRole("button", { name: "+ New chat" }).click();
  await page.locator(".chat-title", { hasText: /^New chat$/ }).waitFor();
  assert.equal(await messageBox().inputValue(), "", "the new conversation has its own box");
  await page.locator(".chat-item-open", { hasText: first ?? "" }).click();
  await page.locator(".chat-title", { hasText: first ?? "" }).waitFor();
  assert.equal(await messageBox().inputValue(), "half a thought about doors");
  await messageBox().fill("");
});

test("Chat on the Models screen, clicked again and again, makes one empty conversation", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  for (let i = 0; i < 3; i++) {
    await nav(page, "Models").click();
    await page
      .getByRole("row", { name: CHAT_APP_MODEL })
      .getByRole("button", { name: "Chat", exact: true })
      .click();
    await page.locator(".chat-title", { hasText: /^New chat$/ }).waitFor();
    await until(async () => (await activeRow().count()) === 1, "the new conversation is highlighted");
  }
  assert.equal(await page.locator(".chat-item-title", { hasText: /^New chat$/ }).count(), 1);
  assert.equal(await rows().count(), 2, "one written in, one new");
});

test("deleting the open conversation opens the highlighted next one, and the empty state after the last", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  while ((await rows().count()) > 0) {
    const open = (await activeRow().locator(".chat-item-title").textContent()) ?? "";
    assert.equal(await title(), open, "the open conversation is the highlighted row");
    await activeRow()
      .getByRole("button", { name: `Delete ${open}` })
      .click();
    await activeRow().getByRole("button", { name: "Delete", exact: true }).click();
    await until(async () => (await title()) !== open || (await rows().count()) === 0, `"${open}" is gone`);
    if ((await rows().count()) > 0) {
      await until(async () => (await activeRow().count()) === 1, "another row is highlighted");
      assert.equal(await title(), await activeRow().locator(".chat-item-title").textContent());
    }
  }
  assert.equal(await title(), "New chat");
  await page.getByText("Say hello — the model loads with your first message.").waitFor();
  assert.equal(await activeRow().count(), 0);
  await page.screenshot({ path: await screenshotPath("chat-list-empty") });
  assert.deepEqual(chat.pageErrors, []);
});
