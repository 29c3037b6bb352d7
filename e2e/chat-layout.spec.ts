/**
 * The Chat screen in a 1024 × 640 window, in a browser against a real runner: the conversation list
 * folds away (☰ in the header brings it back, narrower), so the messages get the width, and the
 * conversation settings show their hints whole.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { screenshotPath } from "../testkit/browser.ts";
import { CHAT_APP_MODEL, rendererMissing } from "../testkit/runner.ts";
import { newChat, startChatApp, type ChatApp } from "./chat-page.ts";

let chat: ChatApp;
let page: Page;

before(async () => {
  if (rendererMissing) return;
  chat = await startChatApp(undefined, { viewport: { width: 1024, height: 640 } });
  ({ page } = chat);
});

after(() => chat?.close());

const width = (selector: string) =>
  page.locator(selector).evaluate((el) => Math.round(el.getBoundingClientRect().width));

test("at 1024 px the conversation list folds away and ☰ brings it back", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  await page.locator(".chat-pane").waitFor();
  const show = page.getByRole("button", { name: "Show conversations" });
  await show.waitFor();
  assert.equal(await show.getAttribute("aria-expanded"), "false");
  assert.equal(await page.getByRole("complementary", { name: "Conversations" }).count(), 0);
  const sidebar = await width(".sidebar");
  assert.ok((await width(".chat-pane")) >= 1024 - sidebar - 2, "the messages take the rest of the window");
  await page.screenshot({ path: await screenshotPath("chat-1024-folded") });

  await show.click();
  const list = page.getByRole("complementary", { name: "Conversations" });
  await list.waitFor();
  assert.ok((await width(".chat-list")) <= 220, "narrower than at full width");
  const hide = page.getByRole("button", { name: "Hide conversations" });
  assert.equal(await hide.getAttribute("aria-expanded"), "true");
  await newChat(page, CHAT_APP_MODEL);
  await page.screenshot({ path: await screenshotPath("chat-1024-list") });
  await hide.click();
  await list.waitFor({ state: "detached" });
  // The choice holds across screens.
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("button", { name: "Models", exact: true })
    .click();
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("button", { name: "Chat", exact: true })
    .click();
  await page.getByRole("button", { name: "Show conversations" }).waitFor();
});

test("conversation settings show every hint whole at 1024 px, beside the list", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  // The narrowest the pane gets: both sidebars shown.
  await page.getByRole("button", { name: "Show conversations" }).click();
  await page.getByRole("complementary", { name: "Conversations" }).waitFor();
  await page.getByRole("button", { name: "⚙ Settings" }).click();
  const panel = page.getByRole("region", { name: "Conversation settings" });
  await panel.waitFor();
  // Each placeholder's text, in the input's own font, against the room the input gives it (less the
  // width of a number input's spin buttons).
  const cut = await panel.locator("input[placeholder]").evaluateAll((inputs) =>
    inputs.flatMap((el) => {
      const input = el as HTMLInputElement;
      const style = getComputedStyle(input);
      const context = document.createElement("canvas").getContext("2d")!;
      context.font = `${style.fontSize} ${style.fontFamily}`;
      const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 18;
      const needed = context.measureText(input.placeholder).width;
      return needed > room ? [`${input.placeholder} (${Math.round(needed)} > ${Math.round(room)} px)`] : [];
    }),
  );
  assert.deepEqual(cut, [], "no hint is cut off");
  assert.equal(await panel.locator("input[placeholder]").count(), 5);
  await page.screenshot({ path: await screenshotPath("chat-1024-settings") });
  await panel.getByRole("button", { name: "Cancel" }).click();
  assert.deepEqual(chat.pageErrors, []);
});

test("the main menu folds to a narrow rail and back; screens stay one click away and the choice is kept", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  const nav = page.getByRole("navigation", { name: "Main" });
  const before = await width(".chat-pane");
  await nav.getByRole("button", { name: "Fold the menu", exact: true }).click();
  assert.ok((await width(".sidebar")) <= 64, "the menu is a rail");
  assert.ok((await width(".chat-pane")) >= before + 150, "the conversation gets the room");
  await nav.getByRole("button", { name: /^Runner (running|busy): show the menu$/ }).waitFor();
  await page.screenshot({ path: await screenshotPath("chat-1024-menu-folded") });
  // Screens keep their names for assistive technology and a click still goes there.
  await nav.getByRole("button", { name: "Logs", exact: true }).click();
  await page.getByRole("table", { name: "Log lines" }).waitFor();
  await page.reload();
  await nav.getByRole("button", { name: "Show the menu", exact: true }).waitFor();
  // The runner's dot opens the full menu with its controls.
  await nav.getByRole("button", { name: /^Runner / }).click();
  await nav.getByRole("button", { name: /Stop runner|Start runner/ }).waitFor();
  assert.ok((await width(".sidebar")) >= 200);
  assert.deepEqual(chat.pageErrors, []);
});
