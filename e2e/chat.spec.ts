/**
 * The Chat screen in a browser against a real runner with a generated model: a reply streams in,
 * stop keeps the partial text, regenerate puts a new reply in place of the last one, edit-and-resend
 * shows a new branch (chat-versions.spec.ts covers the versions kept), and the conversation is still there after a reload. The screenshot lands in e2e/screenshots/.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { screenshotPath } from "../testkit/browser.ts";
import { ConversationStore } from "../electron/runner/conversations/conversation-store.ts";
import {
  idle as isIdle,
  inProgress as ip,
  replies as r,
  send as sendText,
  setParameters as setParams,
  startChatApp,
  until,
  type ChatApp,
  userMessages as u,
} from "./chat-page.ts";
import { CHAT_APP_MODEL, rendererMissing } from "../testkit/runner.ts";

let chat: ChatApp;
let page: Page;
let pageErrors: string[] = [];

before(async () => {
  if (rendererMissing) return;
  chat = await startChatApp(async (home) =>
    seedMarkdownConversation(await ConversationStore.open(join(home, "conversations"))),
  );
  ({ page, pageErrors } = chat);
});

/** A stored reply with Markdown: generated models write noise, so this is how formatted output is checked. */
const MARKDOWN_REPLY = [
  "## Reading a file",
  "Use **`readFile`** from *node:fs/promises*:",
  "```ts",
  'import { readFile } from "node:fs/promises";',
  "// read as UTF-8",
  'const text = await readFile("notes.txt", "utf8");',
  "console.log(text.length, 42);",
  "```",
  "- it returns a `Promise`",
  "- errors reject it",
].join("\n");

async function seedMarkdownConversation(store: ConversationStore) {
  await store.create({
    title: "Uses a deleted model",
    model: "local/deleted:latest",
    parameters: { maxTokens: 8 },
  });
  const c = await store.create({ title: "Markdown sample" });
  await store.replaceMessages(c.id, () => ({
    messages: [
      {
        id: "seed-user",
        role: "user",
        content: "How do I read a file in Node?",
        createdAt: new Date(0).toISOString(),
      },
      {
        id: "seed-reply",
        role: "assistant",
        content: MARKDOWN_REPLY,
        createdAt: new Date(0).toISOString(),
        figures: {
          promptTokens: 18,
          completionTokens: 61,
          tokensPerSecond: 212.4,
          timeToFirstTokenMs: 84,
          finishReason: "stop",
        },
      },
    ],
  }));
}

after(() => chat?.close());

const replies = () => r(page);
const userMessages = () => u(page);
const inProgress = () => ip(page);
const idle = () => isIdle(page);
const setParameters = (values: Record<string, string>) => setParams(page, values);
const send = (text: string) => sendText(page, text);

/**
 * Lengths of the streaming reply's rendered text, sampled every frame until it is done. Passed as
 * source text: the test's TypeScript transform would otherwise add helpers the page does not have.
 */
function watchStream(): Promise<number[]> {
  return page.evaluate(`new Promise((resolve) => {
    const lengths = [];
    let seen = false;
    const tick = () => {
      const el = document.querySelector('[aria-label="Reply in progress"]');
      if (el) {
        seen = true;
        lengths.push(el.querySelector(".md")?.textContent?.length ?? 0);
      } else if (seen) return resolve(lengths);
      requestAnimationFrame(tick);
    };
    tick();
  })`);
}

test("a new conversation: pick the model, send, watch the reply stream in with its figures", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  await page.getByRole("button", { name: "+ New chat" }).first().click();
  await page.locator(".chat-title", { hasText: /^New chat$/ }).waitFor();
  await page.getByRole("combobox", { name: "Model" }).selectOption(CHAT_APP_MODEL);
  await setParameters({ Temperature: "0", Seed: "1", "Max tokens": "48" });

  const stream = watchStream();
  await send("hello world, tell me about the hangar");
  // The first message loads the model, and says so.
  await page
    .getByText(/Loading model…|Thinking…/)
    .or(inProgress())
    .first()
    .waitFor();
  const lengths = await stream;
  const growing = new Set(lengths.filter((n) => n > 0));
  assert.ok(
    growing.size >= 2,
    `the reply grew over several frames (lengths seen: ${[...growing].join(",")})`,
  );
  await replies().first().waitFor();
  assert.match((await replies().first().textContent()) ?? "", /\d+ tokens · [\d.]+ tok\/s · TTFT \d+ ms/);
  assert.equal(await userMessages().count(), 1);
  await until(
    async () => /hello world/.test((await page.locator(".chat-item.active").textContent()) ?? ""),
    "the first message names the conversation in the list",
  );
});

test("stop mid-stream keeps the partial reply, marked as stopped", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  await setParameters({ "Max tokens": "1500" });
  await send("now tell me more, at length");
  await inProgress().waitFor();
  await until(
    async () =>
      (
        (await inProgress()
          .locator(".md")
          .textContent()
          .catch(() => "")) ?? ""
      ).length > 5,
    "text streams in",
  );
  await page.getByRole("button", { name: "■ Stop" }).click();
  const last = replies().last();
  await replies().last().locator(".msg-figures", { hasText: "stopped" }).waitFor();
  assert.equal(await replies().count(), 2);
  assert.match((await last.textContent()) ?? "", /· stopped/);
  assert.ok(((await last.locator(".md").textContent()) ?? "").length > 0, "partial text is kept");
  assert.ok(await page.getByRole("button", { name: "Send" }).isVisible(), "the composer is back");
});

test("regenerate puts a new reply in place of the last one", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  await setParameters({ "Max tokens": "24" });
  const before = await replies().last().textContent();
  const old = await replies().last().elementHandle();
  await page.getByRole("button", { name: "Regenerate" }).click();
  // The old reply's element goes when the turn starts; the new one is in once the chat is idle again.
  await until(
    async () =>
      !(await old!.evaluate((el) => el.isConnected)) && (await idle()) && (await replies().count()) === 2,
    "the old reply replaced by a new one",
  );
  assert.equal(await replies().count(), 2, "still two replies");
  const after = await replies().last().textContent();
  assert.notEqual(after, before, "a new reply (not stopped, different figures) took its place");
  assert.doesNotMatch(after ?? "", /· stopped/);
});

test("edit an earlier message and resend: a new branch with a new reply is on show", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  await userMessages().first().getByRole("button", { name: "Edit" }).click();
  await page.getByRole("textbox", { name: "Edit message" }).fill("hello again, hangar");
  await page.getByRole("button", { name: "Save & send" }).click();
  await until(
    async () => (await idle()) && (await userMessages().count()) === 1 && (await replies().count()) === 1,
    "the edited turn is done",
  );
  await replies().first().waitFor();
  assert.equal(await userMessages().count(), 1);
  assert.equal(await replies().count(), 1);
  assert.equal(await userMessages().first().locator(".msg-text").textContent(), "hello again, hangar");
});

test("the conversation is still there after a reload, and search finds it by content", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  const title = await page.locator(".chat-title").textContent();
  const reply = await replies().first().locator(".md").textContent();
  await page.reload();
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("button", { name: "Chat", exact: true })
    .click();
  await page.locator(".chat-title", { hasText: title ?? "" }).waitFor();
  assert.equal(await userMessages().count(), 1);
  assert.equal(await replies().first().locator(".md").textContent(), reply);
  // Search finds it by content.
  await page.getByRole("searchbox", { name: "Search conversations" }).fill("again, hang");
  await page.locator(".chat-item-excerpt").first().waitFor();
  assert.equal(await page.locator(".chat-item").count(), 1);
  await page.getByRole("searchbox", { name: "Search conversations" }).fill("");
  await page.screenshot({ path: await screenshotPath("chat") });

  assert.deepEqual(pageErrors, []);
});

test("Markdown replies render as formatted text with highlighted, copyable code", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  await page.locator(".chat-item-open", { hasText: "Markdown sample" }).click();
  const reply = replies().first();
  await reply.locator(".code-block").waitFor();
  assert.equal(await reply.getByRole("heading", { name: "Reading a file" }).count(), 1);
  assert.equal(await reply.locator("strong code").textContent(), "readFile");
  assert.equal(await reply.locator("li").count(), 2);
  assert.deepEqual(await reply.locator(".tok-keyword").allTextContents(), [
    "import",
    "from",
    "const",
    "await",
  ]);
  assert.equal(await reply.locator(".tok-comment").textContent(), "// read as UTF-8");
  assert.match(
    (await reply.locator(".code-block pre").textContent()) ?? "",
    /readFile\("notes.txt", "utf8"\)/,
  );
  assert.match((await reply.textContent()) ?? "", /61 tokens · 212\.4 tok\/s · TTFT 84 ms/);
  await reply.getByRole("button", { name: "Copy code" }).click();
  await reply.getByRole("button", { name: "Copy code" }).getByText("Copied").waitFor();
  assert.equal(await reply.locator("script, [onclick]").count(), 0);
  await page.screenshot({ path: await screenshotPath("chat-markdown") });
  assert.deepEqual(pageErrors, []);
});

test("Chat on the Models screen opens a new conversation with that model", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("button", { name: "Models", exact: true })
    .click();
  await page
    .getByRole("row", { name: CHAT_APP_MODEL })
    .getByRole("button", { name: "Chat", exact: true })
    .click();
  await page.locator(".chat-title", { hasText: /^New chat$/ }).waitFor();
  assert.equal(await page.getByRole("combobox", { name: "Model" }).inputValue(), CHAT_APP_MODEL);
  assert.deepEqual(pageErrors, []);
});

test("a model that is not installed: a clear error with Retry, which works once a model is picked", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  await page.locator(".chat-item-open", { hasText: "Uses a deleted model" }).click();
  await page.locator(".chat-title", { hasText: "Uses a deleted model" }).waitFor();
  assert.equal(
    await page.getByRole("combobox", { name: "Model" }).locator("option:checked").textContent(),
    "local/deleted:latest (not installed)",
  );
  await send("are you there?");
  const alert = page.getByRole("article", { name: "Reply" }).getByRole("alert");
  await alert.waitFor();
  assert.match((await alert.textContent()) ?? "", /local\/deleted:latest is not installed/);
  await page.getByRole("combobox", { name: "Model" }).selectOption(CHAT_APP_MODEL);
  await alert.getByRole("button", { name: "Retry" }).click();
  await until(
    async () =>
      (await idle()) &&
      (await alert.count()) === 0 &&
      (await replies().count()) === 1 &&
      /tok\/s/.test((await replies().first().textContent()) ?? ""),
    "the retried reply replaced the failed one",
  );
  assert.deepEqual(pageErrors, []);
});
