/**
 * Stopping the runner mid-reply, in a browser against a real runner with a generated model: the page
 * asks first (a model is loaded), the reply ends marked stopped with its text kept, the message is sent
 * once (the runner stores one user message and one reply, also after it starts again), and the stop
 * the user chose shows no "connection lost" error.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { screenshotPath } from "../testkit/browser.ts";
import { ConversationStore } from "../electron/runner/conversations/conversation-store.ts";
import { CHAT_APP_MODEL, rendererMissing, type TestRunner } from "../testkit/runner.ts";
import {
  idle,
  inProgress,
  type ChatApp,
  startChatApp,
  newChat,
  replies,
  send,
  setParameters,
  streamedText,
  until,
  userMessages,
} from "./chat-page.ts";

let chat: ChatApp;
let app: TestRunner;
let page: Page;

before(async () => {
  if (rendererMissing) return;
  chat = await startChatApp();
  ({ app, page } = chat);
});

after(() => chat?.close());

/** What the runner stored: a fresh store on the same folder reads the files. */
async function storedMessages(): Promise<string[]> {
  const store = await ConversationStore.open(join(app.home, "conversations"));
  const [newest] = await store.list();
  return (await store.get(newest!.id)).messages.map((m) => m.role);
}

test("stopping the runner mid-reply asks first, keeps the partial reply, and never sends the message again", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  await newChat(page, CHAT_APP_MODEL);
  // A seed and temperature 1: the same long reply every run, so it is still streaming when stopped
  // (greedy decoding of this generated model ends its reply after 60 tokens, in well under a second).
  await setParameters(page, { Temperature: "1", Seed: "1", "Max tokens": "1500" });
  await send(page, "tell me a long story about hangars");
  await inProgress(page).waitFor();
  await until(async () => (await streamedText(page)).length > 5, "text streams in");

  const runnerGroup = page.getByRole("group", { name: "Runner" });
  await runnerGroup.getByRole("button", { name: "Stop runner" }).click();
  const confirm = page.getByRole("group", { name: "Confirm stopping the runner" });
  await confirm.waitFor();
  assert.match((await confirm.textContent()) ?? "", /unloads 1 model\(s\)/);
  await page.screenshot({ path: await screenshotPath("chat-runner-stop-confirm") });
  assert.equal(await inProgress(page).count(), 1, "asking stops nothing yet");
  await confirm.getByRole("button", { name: "Stop runner" }).click();

  const status = page.getByRole("status", { name: "Runner status" });
  await status.getByText("Stopped").waitFor();
  await until(() => idle(page), "the reply ends");
  const last = replies(page).last();
  assert.match((await last.textContent()) ?? "", /· stopped/);
  assert.ok(((await last.locator(".md").textContent()) ?? "").length > 0, "partial text is kept");
  assert.equal(await userMessages(page).count(), 1, "the message shows once");
  assert.equal(await runnerGroup.locator(".error").count(), 0, "no error under the runner toggle");
  assert.equal(await page.getByText(/connection .*lost|Cannot reach the runner/i).count(), 0);
  assert.deepEqual(await storedMessages(), ["user", "assistant"]);
  await page.screenshot({ path: await screenshotPath("chat-runner-stopped") });

  await runnerGroup.getByRole("button", { name: "Start runner" }).click();
  await status.getByText("Running").waitFor();
  assert.equal(await userMessages(page).count(), 1);
  assert.equal(await replies(page).count(), 1);
  assert.deepEqual(await storedMessages(), ["user", "assistant"], "nothing was sent again");
  assert.deepEqual(chat.pageErrors, []);
});

test("with no model loaded, Stop runner stops at once", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  const runnerGroup = page.getByRole("group", { name: "Runner" });
  await until(async () => app.runner.status().loadedModels.length === 0, "no model is loaded");
  await runnerGroup.getByRole("button", { name: "Stop runner" }).click();
  await page.getByRole("status", { name: "Runner status" }).getByText("Stopped").waitFor();
  assert.equal(await page.getByRole("group", { name: "Confirm stopping the runner" }).count(), 0);
  await runnerGroup.getByRole("button", { name: "Start runner" }).click();
  await page.getByRole("status", { name: "Runner status" }).getByText("Running").waitFor();
});
