/**
 * Pulls belong to the runner: a pull started from outside the app with `POST /api/pull` (the Ollama
 * API, as any Ollama client or `hangar pull` against a running runner makes it) appears in the app's
 * downloads with progress and completes, then the model is under Models. Real loopback registry
 * behind a throttling proxy, the runner serving the built renderer and its bridge, real Chromium.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import type { Page } from "playwright-core";
import { screenshotPath } from "../testkit/browser.ts";
import { startBrowserApp, type BrowserApp } from "../testkit/browser-app.ts";
import {
  REGISTRY_BINARY,
  startProxy,
  startRegistry,
  type RunningProxy,
  type RunningRegistry,
} from "../testkit/registry.ts";
import { RENDERER_DIR, rendererMissing, type TestRunner } from "../testkit/runner.ts";
import { publishTinyModel } from "../testkit/publish.ts";

const canRun = !rendererMissing && existsSync(REGISTRY_BINARY);
const why = rendererMissing ?? `no ${REGISTRY_BINARY}: apt-get install docker-registry`;

let ui: BrowserApp;
let t: TestRunner;
let registry: RunningRegistry;
let proxy: RunningProxy;
let page: Page;
let modelRef: string;
let pageErrors: string[] = [];

before(async () => {
  if (!canRun) return;
  ui = await startBrowserApp(
    { parallel: 1, contextSize: 256 },
    { name: "api-pull-e2e", model: false, rendererDir: RENDERER_DIR, bridge: { kind: "app" } },
    {
      beforeBrowser: async ({ home }) => {
        registry = await startRegistry();
        const size = await publishTinyModel(registry, home, "e2e/api:1", {
          seed: 6,
          embeddingLength: 128,
          blockCount: 4,
        });
        // About six seconds for the whole model: time to see it move in the app.
        proxy = await startProxy({
          upstream: registry.url,
          throttle: Math.max(64 * 1024, Math.round(size / 6)),
        });
        modelRef = `${proxy.host}/e2e/api:1`;
      },
    },
  );
  ({ app: t, page, pageErrors } = ui);
});

after(async () => {
  await ui?.close();
  await proxy?.close();
  await registry?.close();
});

const nav = (name: string) =>
  page.getByRole("navigation", { name: "Main" }).getByRole("button", { name, exact: true });

test("a pull started with POST /api/pull shows in the app with progress and completes", async (t2) => {
  if (!canRun) return t2.skip(why);
  await nav("Catalog").click();
  // Not awaited yet: the request streams its progress until the pull ends.
  const response = fetch(`${t.url}/api/pull`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: modelRef }),
  }).then(async (res) => ({ status: res.status, text: await res.text() }));

  const row = page.getByRole("listitem", { name: `Download ${modelRef}` }).first();
  await row.waitFor({ timeout: 30_000 });
  const bar = row.getByRole("progressbar");
  await page.waitForFunction(
    (el) => Number(el?.getAttribute("aria-valuenow")) > 0,
    await bar.elementHandle(),
    { timeout: 30_000 },
  );
  await page.screenshot({ path: await screenshotPath("api-pull-downloading") });
  await row.locator(".badge.done").waitFor({ timeout: 60_000 });
  assert.equal(await bar.getAttribute("aria-valuenow"), "100");

  const { status, text } = await response;
  assert.equal(status, 200, text);
  const lines = text
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { status?: string; completed?: number; total?: number });
  assert.equal(lines.at(-1)?.status, "success");
  assert.ok(
    lines.some((l) => typeof l.completed === "number" && l.completed > 0),
    "the API streamed progress too",
  );

  await nav("Models").click();
  await page.getByRole("row", { name: modelRef }).waitFor();
  await page.screenshot({ path: await screenshotPath("api-pull-models") });
  assert.deepEqual(pageErrors, []);
});
