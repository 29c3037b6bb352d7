/**
 * Versions in the Chat screen, in a browser against a real runner with a generated model: Regenerate
 * keeps the earlier reply ("2/2" with arrows to switch), editing a message branches (the earlier text
 * and everything after it stay a version away), and the edit box takes the focus, sends on Enter and
 * cancels on Escape. Nothing the user wrote or received is lost, also after a reload.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { screenshotPath } from "../testkit/browser.ts";
import { CHAT_APP_MODEL, rendererMissing } from "../testkit/runner.ts";
import {
  idle,
  nav,
  newChat,
  replies,
  send,
  setParameters,
  startChatApp,
  until,
  userMessages,
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

const versionCount = (article: ReturnType<typeof replies>) =>
  article.locator(".msg-version-count").textContent();
/** The text of each message on show, without buttons and figures. */
const texts = () => page.locator(".msg .msg-text, .msg .md").allTextContents();

async function sendAndWait(text: string, replyCount: number) {
  await send(page, text);
  await until(
    async () => (await idle(page)) && (await replies(page).count()) === replyCount,
    `reply ${replyCount}`,
  );
}

test("Regenerate keeps the earlier reply: 2/2, with arrows back to 1/2", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  await newChat(page, CHAT_APP_MODEL);
  await setParameters(page, { Temperature: "1.5", "Max tokens": "12" });
  await sendAndWait("first question", 1);
  await sendAndWait("second question", 2);
  const first = await replies(page).last().locator(".md").textContent();

  await page.getByRole("button", { name: "Regenerate" }).click();
  await until(
    async () => (await idle(page)) && (await replies(page).last().locator(".msg-versions").count()) === 1,
    "the new reply is in, with its versions",
  );
  const last = replies(page).last();
  assert.equal(await versionCount(last), "2/2");
  const second = await last.locator(".md").textContent();
  await last.getByRole("button", { name: "Previous version of this reply" }).click();
  await until(async () => (await versionCount(replies(page).last())) === "1/2", "version 1 shows");
  assert.equal(
    await replies(page).last().locator(".md").textContent(),
    first,
    "the earlier reply, as it was",
  );
  assert.ok(
    await replies(page).last().getByRole("button", { name: "Previous version of this reply" }).isDisabled(),
  );
  await replies(page).last().getByRole("button", { name: "Next version of this reply" }).click();
  await until(async () => (await versionCount(replies(page).last())) === "2/2", "version 2 again");
  assert.equal(await replies(page).last().locator(".md").textContent(), second);
  assert.deepEqual(chat.pageErrors, []);
});

test("the edit box takes the focus; Escape cancels, Enter sends a new version and keeps the old branch", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  const before = await texts();
  const firstMessage = userMessages(page).first();
  await firstMessage.getByRole("button", { name: "Edit" }).click();
  const box = page.getByRole("textbox", { name: "Edit message" });
  await box.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("aria-label")), "Edit message");
  await box.press("End");
  await box.pressSequentially(" (typo");
  await box.press("Escape");
  await box.waitFor({ state: "detached" });
  assert.deepEqual(await texts(), before, "Escape changed nothing");

  await firstMessage.getByRole("button", { name: "Edit" }).click();
  await box.fill("first question, reworded");
  await page.screenshot({ path: await screenshotPath("chat-edit") });
  await box.press("Enter");
  await until(
    async () =>
      (await idle(page)) && (await userMessages(page).count()) === 1 && (await replies(page).count()) === 1,
    "the new branch is answered",
  );
  const edited = userMessages(page).first();
  assert.equal(await edited.locator(".msg-text").textContent(), "first question, reworded");
  assert.equal(await versionCount(edited), "2/2");

  // The earlier branch is one click away, with all four messages and the regenerated reply's versions.
  await edited.getByRole("button", { name: "Previous version of this message" }).click();
  await until(async () => (await userMessages(page).count()) === 2, "the earlier branch shows");
  assert.deepEqual(await texts(), before);
  assert.equal(await versionCount(userMessages(page).first()), "1/2");
  assert.equal(await versionCount(replies(page).last()), "2/2");
  await page.screenshot({ path: await screenshotPath("chat-versions") });
  assert.deepEqual(chat.pageErrors, []);
});

test("every version is still there after a reload", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  const before = await texts();
  const title = await page.locator(".chat-title").textContent();
  await page.reload();
  await nav(page, "Chat").click();
  await page.locator(".chat-title", { hasText: title ?? "" }).waitFor();
  await until(async () => (await replies(page).count()) === 2, "the conversation opens");
  assert.deepEqual(await texts(), before, "the branch on show is the one chosen last");
  await userMessages(page).first().getByRole("button", { name: "Next version of this message" }).click();
  await until(async () => (await userMessages(page).count()) === 1, "the edited branch shows");
  assert.equal(
    await userMessages(page).first().locator(".msg-text").textContent(),
    "first question, reworded",
  );
  assert.deepEqual(chat.pageErrors, []);
});
