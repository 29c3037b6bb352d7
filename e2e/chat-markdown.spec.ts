/**
 * Markdown in replies, in a browser against a real runner: GitHub tables, nested lists, headings in
 * size order, math ($…$ and $$…$$ through KaTeX, its fonts served by the runner), code blocks that are
 * highlighted only when they name a language, and nothing from the reply that runs or fetches: raw
 * HTML is dropped, script links and images stay inert. Generated models write noise, so the reply is
 * stored in the conversation before the app opens.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { screenshotPath } from "../testkit/browser.ts";
import { rendererMissing } from "../testkit/runner.ts";
import { ConversationStore } from "../electron/runner/conversations/conversation-store.ts";
import { replies, startChatApp, type ChatApp } from "./chat-page.ts";

const REPLY = [
  "# Hangar sizes",
  "## By aircraft",
  "| Aircraft | Span (m) | Fits |",
  "| --- | ---: | :---: |",
  "| Cessna 172 | 11 | yes |",
  "| A380 | 79.8 | no |",
  "",
  "1. Measure",
  "   - the wingspan",
  "   - the tail height",
  "2. Add margins",
  "",
  "The area is $A = w \\cdot d$, and for a round roof:",
  "",
  "$$",
  "V = \\frac{\\pi r^2 L}{2}",
  "$$",
  "",
  "```",
  "if door open then import plane",
  "```",
  "",
  '<img src="https://tracker.example/pixel.png" onerror="alert(1)"><script>alert(2)</script>',
  "",
  "[safe](https://example.com) and [unsafe](javascript:alert(3)) and ![a diagram](https://example.com/d.png)",
].join("\n");

let chat: ChatApp;
let page: Page;

before(async () => {
  if (rendererMissing) return;
  chat = await startChatApp(async (home) => {
    const store = await ConversationStore.open(join(home, "conversations"));
    const c = await store.create({ title: "Rich reply" });
    const at = new Date(0).toISOString();
    await store.replaceMessages(c.id, () => ({
      messages: [
        { id: "q", role: "user", content: "How big must a hangar be?", createdAt: at },
        { id: "a", role: "assistant", content: REPLY, createdAt: at },
      ],
    }));
  });
  page = chat.page;
  await page.locator(".chat-title", { hasText: "Rich reply" }).waitFor();
});

after(() => chat?.close());

const fontSize = (selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));

test("tables, nested lists, and # H1 larger than ## H2", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  const reply = replies(page).first();
  await reply.locator("table").waitFor();
  assert.deepEqual(await reply.locator("th").allTextContents(), ["Aircraft", "Span (m)", "Fits"]);
  assert.deepEqual(await reply.locator("tbody tr").first().locator("td").allTextContents(), [
    "Cessna 172",
    "11",
    "yes",
  ]);
  assert.equal(await reply.locator("ol > li").count(), 2);
  assert.deepEqual(await reply.locator("ol > li > ul > li").allTextContents(), [
    "the wingspan",
    "the tail height",
  ]);
  assert.equal(await reply.getByRole("heading", { name: "Hangar sizes", level: 1 }).count(), 1);
  assert.ok((await fontSize(".md h1")) > (await fontSize(".md h2")), "H1 is the larger heading");
  assert.ok((await fontSize(".md h2")) > (await fontSize(".md p")), "H2 is larger than text");
});

test("math renders with KaTeX, inline and displayed, in KaTeX's own fonts", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  const reply = replies(page).first();
  assert.equal(await reply.locator(".katex-display").count(), 1);
  assert.equal(await reply.locator(".katex").count(), 2);
  assert.equal(await reply.locator(".katex .mfrac").count(), 1, "the fraction is typeset");
  const text = (await reply.locator(".md").textContent()) ?? "";
  assert.ok(!text.includes("$"), "no raw dollar signs left");
  assert.match(
    await reply
      .locator(".katex")
      .first()
      .evaluate((el) => getComputedStyle(el).fontFamily),
    /KaTeX_Main/,
  );
  const fontsLoaded = await page.evaluate(async () => {
    await document.fonts.ready;
    return [...document.fonts].filter((f) => f.family.includes("KaTeX") && f.status === "loaded").length;
  });
  assert.ok(fontsLoaded > 0, "KaTeX's fonts load from the runner (the CSP allows them)");
});

test("a code block without a language is plain text; with one it is highlighted; both copy", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  const block = replies(page).first().locator(".code-block");
  assert.equal(await block.count(), 1);
  assert.equal(await block.locator(".code-lang").textContent(), "text");
  assert.equal(await block.locator("pre").textContent(), "if door open then import plane");
  assert.equal(await block.locator("[class^=tok-]").count(), 0, "no keyword guessing");
  await block.getByRole("button", { name: "Copy code" }).click();
  await block.getByRole("button", { name: "Copy code" }).getByText("Copied").waitFor();
});

test("nothing in a reply runs or fetches: raw HTML dropped, script links and images inert", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  const reply = replies(page).first();
  assert.equal(await reply.locator("img, script, [onerror], [onclick]").count(), 0);
  assert.equal(await reply.locator('a[href^="javascript"]').count(), 0);
  assert.equal(await reply.getByText("unsafe", { exact: true }).count(), 1, "the link text stays");
  assert.equal(
    await reply.getByRole("link", { name: "safe", exact: true }).getAttribute("rel"),
    "noreferrer noopener",
  );
  assert.equal(
    await reply.getByRole("link", { name: "Image: a diagram" }).getAttribute("href"),
    "https://example.com/d.png",
  );
  await page.screenshot({ path: await screenshotPath("chat-markdown-rich"), fullPage: true });
  assert.deepEqual(chat.pageErrors, []);
});
