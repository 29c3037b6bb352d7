/**
 * axe-core on every screen of the app, in the light and the dark colour scheme, against a real runner
 * with a generated model, a seeded conversation (code, a table, a list, a failed reply) and log lines
 * of a refused and an answered API request, and a failed pull in the downloads panel. Also audited: the
 * Inspect and delete dialogs and a row's menu on Models, conversation settings in Chat, an expanded
 * request row on Logs, a field error in Settings, and a catalog entry's details. Fails on any critical or serious
 * violation and prints each with its nodes.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { screenshotPath, modelRowAction } from "../testkit/browser.ts";
import { startBrowserApp, type BrowserApp } from "../testkit/browser-app.ts";
import { blockingViolations, describeViolations, AUDIT_PAGE } from "../testkit/axe.ts";
import { CHAT_APP_MODEL, chatAppOptions, rendererMissing } from "../testkit/runner.ts";
import { seedConversation } from "../testkit/conversations.ts";

const FAILED_PULL = "127.0.0.1:9/nobody/nothing:1";
let ui: BrowserApp;
let page: Page;
let pageErrors: string[] = [];

before(async () => {
  if (rendererMissing) return;
  ui = await startBrowserApp(...chatAppOptions(seedConversation), {
    beforeBrowser: async (app) => {
      // A refused request (400) and an answered one, so Logs has warn and info request rows.
      const refused = await fetch(`${app.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: CHAT_APP_MODEL, messages: [], temperature: 0.5 }),
      });
      assert.equal(refused.status, 400);
      const answered = await fetch(`${app.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          model: CHAT_APP_MODEL,
          messages: [{ role: "user", content: "hi" }],
          max_tokens: 4,
        }),
      });
      assert.equal(answered.status, 200, await answered.text());
      // A pull that fails (nothing listens on port 9), so the downloads panel shows a failed row.
      const pull = await fetch(`${app.url}/api/pull`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: FAILED_PULL, stream: false }),
      });
      assert.ok(pull.status >= 400, `the pull fails (${pull.status})`);
    },
    page: AUDIT_PAGE,
  });
  ({ page, pageErrors } = ui);
});

after(() => ui?.close());

const nav = (name: string) =>
  page.getByRole("navigation", { name: "Main" }).getByRole("button", { name, exact: true });

/** Each screen with what shows it has finished loading, and extra states worth auditing. */
const screens: { name: string; ready: () => Promise<void>; states?: [string, () => Promise<void>][] }[] = [
  {
    name: "Catalog",
    ready: () => page.locator(".card").first().waitFor(),
    states: [
      [
        "details",
        async () => {
          await page.locator(".card").first().click();
          await page.getByRole("button", { name: "← Catalog" }).waitFor();
        },
      ],
    ],
  },
  {
    name: "Models",
    ready: async () => {
      await page.getByRole("row", { name: CHAT_APP_MODEL }).waitFor();
      await page.getByRole("listitem", { name: `Download ${FAILED_PULL}` }).waitFor();
    },
    states: [
      [
        "inspect dialog",
        async () => {
          await modelRowAction(page.getByRole("row", { name: CHAT_APP_MODEL }), "Inspect");
          await page.getByRole("dialog").waitFor();
        },
      ],
      [
        "delete confirmation",
        async () => {
          await page.getByRole("dialog").getByRole("button", { name: "Close" }).click();
          await page.getByRole("dialog").waitFor({ state: "detached" });
          await modelRowAction(page.getByRole("row", { name: CHAT_APP_MODEL }), "Delete");
          await page.getByRole("alertdialog").waitFor();
        },
      ],
      [
        "row menu",
        async () => {
          await page.keyboard.press("Escape");
          await page.getByRole("alertdialog").waitFor({ state: "detached" });
          const row = page.getByRole("row", { name: CHAT_APP_MODEL });
          await row.getByRole("button", { name: /^More actions for / }).click();
          await row.getByRole("button", { name: "Inspect", exact: true }).waitFor();
        },
      ],
    ],
  },
  {
    name: "Chat",
    ready: () => page.getByText("A table of sizes").waitFor(),
    states: [
      [
        "conversation settings",
        async () => {
          await page.getByRole("button", { name: "⚙ Settings" }).click();
          await page.getByRole("region", { name: "Conversation settings" }).waitFor();
        },
      ],
    ],
  },
  {
    name: "Logs",
    ready: () => page.locator(".log-row.request").first().waitFor(),
    states: [
      [
        "expanded request",
        async () => {
          await page.locator(".log-row.request").first().click();
          await page.locator(".log-details").waitFor();
        },
      ],
    ],
  },
  {
    name: "Settings",
    ready: () => page.getByRole("heading", { name: "Settings" }).waitFor(),
    states: [
      [
        "field error",
        async () => {
          await page.getByRole("textbox", { name: "Port" }).fill("99999");
          await page.getByRole("button", { name: "Save settings" }).click();
          await page.locator(".field-error").first().waitFor();
        },
      ],
    ],
  },
];

for (const scheme of ["light", "dark"] as const) {
  test(`no critical or serious axe violation on any screen (${scheme})`, async (t) => {
    if (rendererMissing) return t.skip(rendererMissing);
    await page.emulateMedia({ colorScheme: scheme });
    const found: string[] = [];
    let audited = 0;
    const audit = async (where: string) => {
      const violations = await blockingViolations(page);
      audited++;
      console.log(
        `${where}: ${violations.length} critical/serious (${violations.map((v) => v.id).join(", ")})`,
      );
      if (violations.length > 0) found.push(describeViolations(where, violations));
      await page.screenshot({ path: await screenshotPath(`a11y-${scheme}-${where.replace(/\W+/g, "-")}`) });
    };
    for (const screen of screens) {
      await nav(screen.name).click();
      await screen.ready();
      await audit(screen.name);
      for (const [state, show] of screen.states ?? []) {
        await show();
        await audit(`${screen.name} ${state}`);
      }
      // Leave the screen as the next round expects it: no dialog or details open.
      await page.reload();
    }
    assert.ok(audited >= screens.length);
    assert.deepEqual(found, [], `axe found blocking violations:\n${found.join("\n")}`);
    assert.deepEqual(pageErrors, []);
  });
}
