/** The Chat screen as the e2e specs drive it: where things are and the few steps every spec takes. */
import type { Page } from "playwright-core";
import type { AppPageOptions } from "../testkit/browser.ts";
import { startBrowserApp, type BrowserApp } from "../testkit/browser-app.ts";
import { chatAppOptions, type TestRunnerOptions } from "../testkit/runner.ts";

/** The Main navigation, where the chat specs switch screens. */
export { nav } from "../testkit/browser.ts";

export const replies = (page: Page) => page.getByRole("article", { name: "Reply", exact: true });
export const userMessages = (page: Page) => page.getByRole("article", { name: "Your message" });
export const inProgress = (page: Page) => page.getByRole("article", { name: "Reply in progress" });

/** Polls a condition in the test process (the app's CSP refuses string predicates in the page). */
export async function until(
  condition: () => Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** No reply streaming, and the composer offers Send again. */
export const idle = async (page: Page) =>
  (await inProgress(page).count()) === 0 && (await page.getByRole("button", { name: "Send" }).count()) === 1;

export async function setParameters(page: Page, values: Record<string, string>) {
  await page.getByRole("button", { name: "⚙ Settings" }).click();
  const panel = page.getByRole("region", { name: "Conversation settings" });
  for (const [label, value] of Object.entries(values))
    await panel.getByLabel(label, { exact: true }).fill(value);
  await panel.getByRole("button", { name: "Save" }).click();
  try {
    await panel.waitFor({ state: "detached" });
  } catch (error) {
    // Say what the panel showed (a problem message, the values it would save) when Save did not close it.
    const values = await panel
      .locator("input")
      .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value))
      .catch(() => []);
    const shown = await panel.textContent().catch(() => "");
    throw new Error(`Save left the settings open: "${shown}" with values ${JSON.stringify(values)}`, {
      cause: error,
    });
  }
}

export async function send(page: Page, text: string) {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

/** The streaming reply's text so far. */
export const streamedText = async (page: Page) =>
  (await inProgress(page)
    .locator(".md")
    .textContent()
    .catch(() => "")) ?? "";

/** A new conversation with `model`, ready for a message. */
export async function newChat(page: Page, model: string) {
  await page.getByRole("button", { name: "+ New chat" }).first().click();
  await page.locator(".chat-title", { hasText: /^New chat$/ }).waitFor();
  await page.getByRole("combobox", { name: "Model" }).selectOption(model);
}

export type ChatApp = BrowserApp;

/** A runner with the chat model (see chatAppOptions), Chromium on its page, the Chat screen open. */
export const startChatApp = (
  prepare?: TestRunnerOptions["prepare"],
  page?: AppPageOptions,
): Promise<ChatApp> =>
  startBrowserApp(...chatAppOptions(prepare), { screen: "Chat", ...(page ? { page } : {}) });
