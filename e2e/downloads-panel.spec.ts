/**
 * Pull by reference and the downloads panel, against a real runner and a real loopback registry:
 * malformed references are refused at the input with the runner's reason (no download row); a short
 * name says where it pulls from; failed pulls say why in words, offer Retry only where it can help, and
 * Clear removes finished rows in every window. Screenshots at 1280×800 and 1024×640.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import type { Page } from "playwright-core";
import { screenshotPath } from "../testkit/browser.ts";
import { openApp, type AppSession } from "../testkit/app-session.ts";
import { RENDERER_DIR, rendererMissing, startTestRunner, type TestRunner } from "../testkit/runner.ts";
import { REGISTRY_BINARY, freePort, startRegistry, type RunningRegistry } from "../testkit/registry.ts";
import { publishTinyModel } from "../testkit/publish.ts";

const canRun = !rendererMissing && existsSync(REGISTRY_BINARY);
const why = rendererMissing ?? `no ${REGISTRY_BINARY}: apt-get install docker-registry`;

let t: TestRunner;
let registry: RunningRegistry;
let session: AppSession;
let page: Page;
let published: string;
let pageErrors: string[] = [];

before(async () => {
  if (!canRun) return;
  // Hugging Face at a name that never resolves (.invalid is reserved): the DNS failure of a lost connection.
  t = await startTestRunner(
    { parallel: 1 },
    {
      name: "downloads-e2e",
      model: false,
      rendererDir: RENDERER_DIR,
      bridge: { kind: "app" },
      env: { HF_ENDPOINT: "http://huggingface.invalid" },
    },
  );
  registry = await startRegistry();
  await publishTinyModel(registry, t.home, "team/tiny:1", { seed: 4 });
  published = `${registry.host}/team/tiny:1`;
  session = await openApp(t);
  ({ page, pageErrors } = session);
  await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Models" }).click();
});

after(async () => {
  await session?.close();
  await t?.close();
  await registry?.close();
});

const input = () => page.getByLabel("Model reference");
const pull = () => page.getByRole("button", { name: "Pull", exact: true });
const downloadRow = (ref: string, p = page) => p.getByRole("listitem", { name: `Download ${ref}` });

test("malformed references are refused at the input with the runner's reason; nothing is queued", async (x) => {
  if (!canRun) return x.skip(why);
  const cases: [string, RegExp][] = [
    ["not a ref!!", /invalid model reference "not a ref!!": it contains whitespace/],
    ["a b c", /it contains whitespace/],
    ["hf.co/", /a Hugging Face reference is hf\.co\/<user>\/<repo>/],
    ["https://huggingface.co/foo/bar", /leave out the scheme: write hf\.co\/foo\/bar/],
  ];
  for (const [ref, reason] of cases) {
    await input().fill(ref);
    await pull().click();
    const alert = page.getByRole("form", { name: "Pull by reference" }).getByRole("alert");
    await alert.waitFor();
    assert.match(await alert.innerText(), reason, ref);
    assert.equal(await input().getAttribute("aria-invalid"), "true");
    assert.equal(await input().inputValue(), ref, "the text stays to be fixed");
    assert.equal(await downloadRow(ref).count(), 0, `no download row for ${ref}`);
    if (ref === "hf.co/") await page.screenshot({ path: await screenshotPath("pull-refused") });
  }
  assert.equal(t.runner.pulls.list().length, 0, "the runner queued nothing");
});

test("before pulling, a short name says which registry it resolves to", async (x) => {
  if (!canRun) return x.skip(why);
  await input().fill("gemma3:1b");
  const hint = page.getByText("From Docker Hub:");
  await hint.waitFor();
  assert.match(await hint.innerText(), /From Docker Hub: docker\.io\/ai\/gemma3:1b/);
  await input().fill("ollama.com/gemma3:1b");
  await page.getByText("From Ollama library: registry.ollama.ai/library/gemma3:1b").waitFor();
  await input().fill("");
});

test("failed pulls say why in words; Retry only where it can help; Clear in every window", async (x) => {
  if (!canRun) return x.skip(why);
  const port = await freePort();
  const refused = `127.0.0.1:${port}/team/m:1`;
  const missing = `${registry.host}/nobody/here:1`;
  const offline = "hf.co/foo/bar";
  for (const ref of [refused, missing, offline, published]) {
    await input().fill(ref);
    await pull().click();
    await downloadRow(ref).waitFor();
  }
  const refusedRow = downloadRow(refused);
  await refusedRow.getByText(`Nothing answers at 127.0.0.1:${port}`).waitFor({ timeout: 30_000 });
  assert.ok(
    await refusedRow.getByRole("button", { name: "Retry" }).isVisible(),
    "the registry may come back",
  );
  const offlineRow = downloadRow(offline);
  await offlineRow
    .getByText("Can't reach huggingface.invalid — check the connection")
    .waitFor({ timeout: 30_000 });
  const missingRow = downloadRow(missing);
  await missingRow.locator(".badge.error").waitFor({ timeout: 30_000 });
  assert.equal(
    await missingRow.getByRole("button", { name: "Retry" }).count(),
    0,
    "no retry for what is not there",
  );
  await downloadRow(published).locator(".badge.done").waitFor({ timeout: 60_000 });
  const panel = page.getByRole("region", { name: "Downloads" });
  const text = await panel.innerText();
  assert.doesNotMatch(text, /ENOTFOUND|ECONNREFUSED|getaddrinfo|0 B of —/);
  await page.screenshot({ path: await screenshotPath("downloads-failed") });
  await page.setViewportSize({ width: 1024, height: 640 });
  await page.screenshot({ path: await screenshotPath("downloads-failed-1024") });
  await page.setViewportSize({ width: 1280, height: 800 });

  const other = await session.openPage();
  try {
    await other.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Models" }).click();
    await downloadRow(refused, other).waitFor();
    await refusedRow.getByRole("button", { name: `Clear ${refused}` }).click();
    await refusedRow.waitFor({ state: "detached" });
    await downloadRow(refused, other).waitFor({ state: "detached" });
    await panel.getByRole("button", { name: "Clear finished (3)" }).click();
    await panel.waitFor({ state: "detached" });
    await other.getByRole("region", { name: "Downloads" }).waitFor({ state: "detached" });
    assert.deepEqual(t.runner.pulls.list(), [], "cleared in the runner's queue");
  } finally {
    await other.close();
  }
  assert.deepEqual(pageErrors, []);
});
