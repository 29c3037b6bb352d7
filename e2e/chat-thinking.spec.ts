/**
 * A thinking model in the app's chat, against a real runner: the scripted model thinks ("I should
 * greet.") then answers ("Hello!"). Its reasoning shows folded above the reply as "Thinking", opens on
 * a click, and is kept with the conversation; the reply's text has no think tags.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { screenshotPath } from "../testkit/browser.ts";
import { rendererMissing } from "../testkit/runner.ts";
import { ModelStore } from "../electron/runner/store/model-store.ts";
import {
  importScriptedModel,
  SCRIPTED_ANSWER,
  SCRIPTED_THOUGHT,
  THINKER_MODEL,
} from "../testkit/scripted-model.ts";
import { idle, newChat, replies, send, startChatApp, until, type ChatApp } from "./chat-page.ts";

let chat: ChatApp;
let page: Page;

before(async () => {
  if (rendererMissing) return;
  chat = await startChatApp(async (home) => {
    await importScriptedModel(new ModelStore({ root: join(home, "models") }), home);
  });
  page = chat.page;
});

after(() => chat?.close());

test("the reasoning is folded above the reply, opens on a click, and stays with the conversation", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  await newChat(page, THINKER_MODEL);
  await send(page, "Hello?");
  await until(() => idle(page), "the reply has finished");
  const reply = replies(page).last();
  assert.equal((await reply.locator(".md").textContent())?.trim(), SCRIPTED_ANSWER);
  const thinking = reply.locator("details.msg-thinking");
  assert.equal(await thinking.getAttribute("open"), null, "folded at first");
  assert.equal(await thinking.locator("summary").textContent(), "Thinking");
  assert.equal(await reply.getByText(SCRIPTED_THOUGHT).isVisible(), false);
  await thinking.locator("summary").click();
  assert.equal(await reply.getByText(SCRIPTED_THOUGHT).isVisible(), true);
  await page.screenshot({ path: await screenshotPath("chat-thinking") });

  await page.reload();
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("button", { name: "Chat", exact: true })
    .click();
  const stored = replies(page).last();
  await stored.waitFor();
  assert.equal(await stored.locator("details.msg-thinking").count(), 1, "the reasoning is stored");
  assert.deepEqual(chat.pageErrors, []);
});
