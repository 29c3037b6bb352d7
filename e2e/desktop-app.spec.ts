/**
 * The app in a browser against a real runner (in-process, serving the built renderer and the bridge)
 * with a real loopback registry: catalog, a pull with progress, pause and resume, the model under
 * Models (load, unload, inspect, delete), settings round-trip, and the runner toggle. Screenshots of
 * every screen land in e2e/screenshots/.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { screenshotPath } from "../testkit/browser.ts";
import {
  REGISTRY_BINARY,
  startProxy,
  startRegistry,
  type RunningProxy,
  type RunningRegistry,
} from "../testkit/registry.ts";
import type { Runner } from "../electron/runner/runner.ts";
import { openApp, type AppSession } from "../testkit/app-session.ts";
import {
  RENDERER_DIR as RENDERER,
  rendererMissing,
  startTestRunner,
  type TestRunner,
} from "../testkit/runner.ts";
import { publishTinyModel } from "../testkit/publish.ts";

const canRun = !rendererMissing && existsSync(REGISTRY_BINARY);
const why = rendererMissing ?? `no ${REGISTRY_BINARY}: apt-get install docker-registry`;

let t: TestRunner;
let home: string;
let registry: RunningRegistry;
let proxy: RunningProxy;
let runner: Runner;
let url: string;
let session: AppSession;
let browser: Browser;
let page: Page;
let modelRef: string;
let pageErrors: string[] = [];

before(async () => {
  if (!canRun) return;
  // Live search goes to a port fetch refuses: the Catalog must say plainly that the search failed.
  t = await startTestRunner(
    { parallel: 1, contextSize: 256 },
    {
      name: "app-e2e",
      model: false,
      rendererDir: RENDERER,
      bridge: {
        kind: "app",
        catalog: { searchOptions: { endpoint: "http://127.0.0.1:9", timeoutMs: 2000 } },
      },
    },
  );
  ({ home, runner, url } = t);
  registry = await startRegistry();
  // The model is published on the registry; the proxy slows its blobs so progress can be watched.
  const size = await publishTinyModel(registry, home, "e2e/tiny:1", {
    seed: 5,
    embeddingLength: 128,
    blockCount: 4,
  });
  proxy = await startProxy({ upstream: registry.url, throttle: Math.max(64 * 1024, Math.round(size / 6)) });
  modelRef = `${proxy.host}/e2e/tiny:1`;

  session = await openApp(t, { viewport: { width: 1280, height: 820 } });
  ({ browser, page, pageErrors } = session);
});

after(async () => {
  await session?.close();
  await t?.close();
  await proxy?.close();
  await registry?.close();
});

const nav = (name: string) =>
  page.getByRole("navigation", { name: "Main" }).getByRole("button", { name, exact: true });
/** A model row's action from its "More" menu (Inspect, Tag, Push, Delete). */
async function rowMenu(row: ReturnType<Page["getByRole"]>, action: string) {
  await row.getByRole("button", { name: /^More actions for / }).click();
  await row.getByRole("button", { name: action, exact: true }).click();
}

test("the runner serves the app to a browser, bridge included", async (t) => {
  if (!canRun) return t.skip(why);
  const served = await browser.newPage();
  try {
    await served.goto(url);
    await served.getByRole("status", { name: "Runner status" }).getByText("Running").waitFor();
    assert.ok(await served.getByText(url).isVisible(), "the status shows the API address");
  } finally {
    await served.close();
  }
});

test("catalog: curated entries, details with memory fit, live search failure said plainly", async (t) => {
  if (!canRun) return t.skip(why);
  await nav("Catalog").click();
  await page.getByRole("heading", { name: "Popular small models" }).waitFor();
  const cards = page.locator(".card");
  await cards.first().waitFor();
  assert.ok((await cards.count()) >= 5, "curated entries are listed");
  await page.screenshot({ path: await screenshotPath("catalog") });

  await page
    .getByRole("button", { name: /^Open Qwen3 0\.6B/ })
    .first()
    .click();
  await page.getByRole("heading", { name: "Variants" }).waitFor();
  const fits = await page.locator(".badge[class*=fit-]").allTextContents();
  assert.ok(
    fits.length > 0 && fits.every((f) => ["Fits", "Tight", "Too large"].includes(f)),
    `fit badges: ${fits}`,
  );
  assert.ok(await page.getByRole("button", { name: "Download" }).first().isVisible());
  await page.screenshot({ path: await screenshotPath("catalog-details") });
  await page.getByRole("button", { name: "← Catalog" }).click();

  await page.getByLabel("Search models").fill("qwen");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await page.getByText(/Hugging Face search failed: /).waitFor();
  assert.ok((await cards.count()) >= 1, "curated matches still show");
  await page.getByRole("button", { name: "Clear" }).click();
});

test("pull by reference from the local registry: progress, pause, resume, done", async (t) => {
  if (!canRun) return t.skip(why);
  await nav("Catalog").click();
  await page.getByLabel("Model reference").fill(modelRef);
  await page.getByRole("button", { name: "Pull", exact: true }).click();
  const row = page.getByRole("listitem", { name: `Download ${modelRef}` }).first();
  await row.waitFor();
  const bar = row.getByRole("progressbar");
  await page.waitForFunction(
    (el) => Number(el?.getAttribute("aria-valuenow")) > 0,
    await bar.elementHandle(),
    { timeout: 30_000 },
  );
  await page.screenshot({ path: await screenshotPath("catalog-downloading") });
  await row.getByRole("button", { name: "Pause" }).click();
  await row.locator(".badge.paused").waitFor();
  const pausedAt = Number(await bar.getAttribute("aria-valuenow"));
  assert.ok(pausedAt < 100, `paused before the end (${pausedAt}%)`);
  await row.getByRole("button", { name: "Resume" }).click();
  await row.locator(".badge.done").waitFor({ timeout: 60_000 });
  assert.equal(await bar.getAttribute("aria-valuenow"), "100");
});

test("models: the pulled model is listed; load, unload, inspect, tag, push to the registry, delete with confirmation", async (t) => {
  if (!canRun) return t.skip(why);
  await nav("Models").click();
  const row = page.getByRole("row", { name: modelRef });
  await row.waitFor();
  assert.match(await page.locator(".screen-header .muted").innerText(), /1 installed/);
  await row.getByRole("button", { name: "Load" }).click();
  await row.getByText("Loaded", { exact: true }).waitFor({ timeout: 60_000 });
  await page.getByRole("status", { name: "Runner status" }).getByText("Running").waitFor();
  await page.screenshot({ path: await screenshotPath("models") });
  await row.getByRole("button", { name: "Unload" }).click();
  await row.getByText("Not loaded").waitFor();
  await row.getByRole("button", { name: "Load" }).click();
  await row.getByText("Loaded", { exact: true }).waitFor({ timeout: 60_000 });
  await row.getByRole("button", { name: "Unload" }).click();
  await row.getByText("Not loaded").waitFor();

  await rowMenu(row, "Inspect");
  const dialog = page.getByRole("dialog", { name: `Details of ${modelRef}` });
  await dialog.getByText("general.architecture").waitFor();
  await page.screenshot({ path: await screenshotPath("models-inspect") });
  await dialog.getByRole("button", { name: "Close" }).click();

  await rowMenu(row, "Tag");
  await page.getByLabel("Tag target").fill("local/copy:1");
  await page
    .getByRole("form", { name: `Tag ${modelRef}` })
    .getByRole("button", { name: "Tag" })
    .click();
  const copy = page.getByRole("row", { name: "local/copy:1" });
  await copy.waitFor();

  await rowMenu(row, "Push");
  const pushed = `${registry.host}/e2e/pushed:1`;
  await page.getByLabel("Push target").fill(pushed);
  await page
    .getByRole("form", { name: `Push ${modelRef}` })
    .getByRole("button", { name: "Push" })
    .click();
  await page.getByText(`Pushed ${modelRef} to ${pushed}`).waitFor();
  const manifest = await fetch(`${registry.url}/v2/e2e/pushed/manifests/1`, {
    headers: { accept: "application/vnd.oci.image.manifest.v1+json" },
  });
  assert.equal(manifest.status, 200, "the registry has the pushed model");

  await rowMenu(copy, "Delete");
  await page
    .getByRole("alertdialog", { name: "Confirm delete" })
    .getByRole("button", { name: "Delete model" })
    .click();
  await copy.waitFor({ state: "detached" });

  await rowMenu(row, "Delete");
  const confirm = page.getByRole("alertdialog", { name: "Confirm delete" });
  await confirm.getByRole("button", { name: "Delete model" }).click();
  await page.getByText("No models yet").waitFor();
});

test("settings: saved through the runner, kept on reload; invalid values rejected with a message", async (t) => {
  if (!canRun) return t.skip(why);
  await nav("Settings").click();
  const keepAlive = page.getByLabel("Keep-alive (seconds)");
  await keepAlive.fill("120");
  await page.getByLabel("Add to Allowed origins").fill("https://app.example.com");
  await page.getByRole("button", { name: "Add", exact: true }).first().click();
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByText("Settings saved.").waitFor();
  assert.equal(runner.settings().keepAliveSeconds, 120);
  assert.deepEqual(runner.settings().corsOrigins, ["https://app.example.com"]);

  await page.reload();
  await nav("Settings").click();
  await page.getByLabel("Keep-alive (seconds)").waitFor();
  assert.equal(await page.getByLabel("Keep-alive (seconds)").inputValue(), "120");
  await page.screenshot({ path: await screenshotPath("settings") });

  await page.getByLabel("Default context size (tokens)").fill("12");
  await page.getByRole("button", { name: "Save settings" }).click();
  const alert = page.getByRole("alert");
  await alert.waitFor();
  assert.match(await alert.innerText(), /Default context size \(tokens\) must be an integer from 256/);
  assert.equal(runner.settings().contextSize, 256, "the rejected value was not applied");
});

test("the shell hosts the Chat and Logs screens", async (t) => {
  if (!canRun) return t.skip(why);
  for (const name of ["Chat", "Logs"]) {
    await nav(name).click();
    await page.locator("main").getByText(/\S/).first().waitFor();
    await page.screenshot({ path: await screenshotPath(name.toLowerCase()) });
  }
  await nav("Catalog").click();
});

test("runner toggle: Stop closes the API (the UI stays), Start brings it back", async (t) => {
  if (!canRun) return t.skip(why);
  const status = page.getByRole("status", { name: "Runner status" });
  await page.getByRole("button", { name: "Stop runner" }).click();
  await status.getByText("Stopped").waitFor();
  assert.equal(runner.status().state, "stopped");
  // The runner also serves the web UI (rendererDir), so its listener stays up for the page; the API is closed.
  const stopped = await fetch(`${url}/v1/models`);
  assert.equal(stopped.status, 503, "the OpenAI API answers 503 while stopped");
  assert.equal((await fetch(`${url}/api/tags`)).status, 503, "so does the Ollama API");
  await page.screenshot({ path: await screenshotPath("runner-stopped") });
  await page.getByRole("button", { name: "Start runner" }).click();
  await status.getByText("Running").waitFor();
  assert.equal((await fetch(`${runner.status().url}/v1/models`)).status, 200);
  assert.deepEqual(pageErrors, []);
});

test("browser mode with an API key: the page asks for it, then connects", async (t) => {
  if (!canRun) return t.skip(why);
  await runner.updateSettings({ apiKeys: ["e2e-secret-key"] });
  const keyed = await browser.newPage();
  try {
    await keyed.goto(runner.status().url!);
    const banner = keyed.getByRole("alert").filter({ hasText: "Cannot reach the runner" });
    await banner.waitFor();
    await keyed.screenshot({ path: await screenshotPath("api-key-prompt") });
    await banner.getByLabel("API key").fill("e2e-secret-key");
    await banner.getByRole("button", { name: "Connect" }).click();
    await keyed.getByRole("status", { name: "Runner status" }).getByText("Running").waitFor();
    assert.equal(await banner.count(), 0);
  } finally {
    await keyed.close();
    await runner.updateSettings({ apiKeys: [] });
  }
});

test("browser mode: the page served by the runner itself stops and starts it", async (t) => {
  if (!canRun) return t.skip(why);
  const own = await browser.newPage();
  try {
    await own.goto(runner.status().url!);
    const status = own.getByRole("status", { name: "Runner status" });
    await status.getByText("Running").waitFor();
    await own.getByRole("button", { name: "Stop runner" }).click();
    await status.getByText("Stopped").waitFor();
    assert.equal(runner.status().state, "stopped");
    await own.getByRole("button", { name: "Start runner" }).click();
    await status.getByText("Running").waitFor();
    assert.equal(runner.status().state, "running");
  } finally {
    await own.close();
  }
});
