/**
 * Dark mode follows the system: with the dark scheme emulated, every screen (and the Inspect dialog,
 * a chat with code, a table and a failed reply, the log viewer) is drawn dark, with no light panel
 * left behind and readable text; with the light scheme, light. Computed colours are read in the page;
 * screenshots of both land in e2e/screenshots/.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { screenshotPath, modelRowAction } from "../testkit/browser.ts";
import { startBrowserApp, type BrowserApp } from "../testkit/browser-app.ts";
import { CHAT_APP_MODEL, chatAppOptions, rendererMissing } from "../testkit/runner.ts";
import { seedConversation } from "../testkit/conversations.ts";

let ui: BrowserApp;
let page: Page;
let pageErrors: string[] = [];

before(async () => {
  if (rendererMissing) return;
  ui = await startBrowserApp(...chatAppOptions(seedConversation));
  ({ page, pageErrors } = ui);
});

after(() => ui?.close());

interface Painted {
  what: string;
  /** It paints a background of its own. */
  surface: boolean;
  /** It holds text directly (measured against the nearest background behind it). */
  hasText: boolean;
  background: number;
  text: number;
  contrast: number;
}

/**
 * Every visible element (marks under 12 px aside) that paints a background or holds text: the relative
 * luminance (WCAG) of the background behind it and of its text, and their contrast ratio. The log viewer and code blocks are dark in
 * both schemes; they are still measured.
 */
function paintedElements(): Promise<Painted[]> {
  // A string, not a function: the test runner's transpiler would wrap named functions in a helper the
  // page does not have.
  return page.evaluate(PAINTED_ELEMENTS) as Promise<Painted[]>;
}
const PAINTED_ELEMENTS = `(() => {
  function channel(c) {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }
  function parse(css) {
    const m = /rgba?\\(([\\d.]+),?\\s*([\\d.]+),?\\s*([\\d.]+)(?:,?\\s*\\/?\\s*([\\d.]+))?\\)/.exec(css);
    return m ? { rgb: [+m[1], +m[2], +m[3]], alpha: m[4] === undefined ? 1 : +m[4] } : null;
  }
  function luminance(rgb) {
    return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
  }
  function opaque(e) {
    for (let at = e; at; at = at.parentElement) {
      const bg = parse(getComputedStyle(at).backgroundColor);
      if (bg && bg.alpha >= 0.9) return bg;
    }
    return { rgb: [255, 255, 255], alpha: 1 };
  }
  const out = [];
  for (const e of document.querySelectorAll("body *")) {
    const style = getComputedStyle(e);
    const own = parse(style.backgroundColor);
    const box = e.getBoundingClientRect();
    if (box.width < 12 || box.height < 12 || style.visibility === "hidden") continue;
    const surface = own && own.alpha >= 0.9;
    const hasText = [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!surface && !hasText) continue;
    const background = luminance(opaque(e).rgb);
    const text = luminance(parse(style.color).rgb);
    const hi = Math.max(background, text);
    const lo = Math.min(background, text);
    const what = e.tagName.toLowerCase() + "." + [...e.classList].join(".");
    out.push({ what, surface, hasText, background, text, contrast: (hi + 0.05) / (lo + 0.05) });
  }
  return out;
})()`;

const nav = (name: string) =>
  page.getByRole("navigation", { name: "Main" }).getByRole("button", { name, exact: true });

const views: [string, () => Promise<void>][] = [
  ["Catalog", () => page.locator(".card").first().waitFor()],
  ["Models", () => page.getByRole("row", { name: CHAT_APP_MODEL }).waitFor()],
  [
    "Models inspect",
    async () => {
      await modelRowAction(page.getByRole("row", { name: CHAT_APP_MODEL }), "Inspect");
      await page.getByRole("dialog").waitFor();
    },
  ],
  ["Chat", () => page.locator(".code-block").waitFor()],
  ["Logs", () => page.locator(".log-line").first().waitFor()],
  ["Settings", () => page.getByRole("heading", { name: "Settings" }).waitFor()],
];

async function tour(scheme: "light" | "dark"): Promise<Map<string, Painted[]>> {
  await page.emulateMedia({ colorScheme: scheme });
  const seen = new Map<string, Painted[]>();
  for (const [name, ready] of views) {
    if (!name.includes(" ")) {
      await page.reload();
      await nav(name).click();
    }
    await ready();
    seen.set(name, await paintedElements());
    await page.screenshot({ path: await screenshotPath(`${scheme}-${name.replace(/\W+/g, "-")}`) });
  }
  return seen;
}

/** The page's own background, as the user sees it behind every screen. */
const pageBackground = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);

test("with the dark scheme every surface is dark and its text light and readable", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  const seen = await tour("dark");
  assert.equal(await pageBackground(), "rgb(14, 17, 22)");
  for (const [name, painted] of seen) {
    const light = painted.filter((p) => p.surface && p.background > 0.4 && !/^mark\./.test(p.what));
    assert.deepEqual(
      light.map((p) => p.what),
      [],
      `${name}: no light surface is left in the dark scheme`,
    );
    const unreadable = painted.filter((p) => p.hasText && p.contrast < 3);
    assert.deepEqual(
      unreadable.map((p) => `${p.what} ${p.contrast.toFixed(2)}`),
      [],
      `${name}: text stands out`,
    );
  }
  // The parts the issue names were among the surfaces measured: code blocks, badges, tables, dialogs.
  const measured = (name: string) =>
    seen
      .get(name)!
      .map((p) => p.what)
      .join(" ");
  assert.match(measured("Chat"), /\.code-block/);
  assert.match(measured("Chat"), /\.msg-error/);
  assert.match(measured("Models"), /\.badge/);
  assert.match(measured("Models"), /table\.table/);
  assert.match(measured("Models inspect"), /dialog\.modal/);
  assert.match(measured("Logs"), /\.log-scroller/);
  assert.deepEqual(pageErrors, []);
});

test("with the light scheme the same surfaces are light", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  const seen = await tour("light");
  assert.equal(await pageBackground(), "rgb(245, 246, 248)");
  for (const [name, painted] of seen) {
    assert.ok(
      painted.some((p) => p.surface && p.background > 0.8),
      `${name}: light panels are drawn`,
    );
    const unreadable = painted.filter((p) => p.hasText && p.contrast < 3);
    assert.deepEqual(
      unreadable.map((p) => `${p.what} ${p.contrast.toFixed(2)}`),
      [],
      `${name}: text stands out`,
    );
  }
  assert.deepEqual(pageErrors, []);
});
