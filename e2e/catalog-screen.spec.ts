/**
 * The Catalog offline and back online, against a real runner: memory-fit badges on every card and in
 * search results; variant sizes from the curated data (or marked estimates), never "—"; a failed Hugging
 * Face search said once, built-in matches not passed off as search results, and Retry, which finds the
 * Hub's models once it answers (the Hugging Face protocol fixture, started on the port that failed).
 * Screenshots at 1280×800 and 1024×640.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { screenshotPath } from "../testkit/browser.ts";
import { openApp, type AppSession } from "../testkit/app-session.ts";
import { RENDERER_DIR, rendererMissing, startTestRunner, type TestRunner } from "../testkit/runner.ts";
import { freePort } from "../testkit/registry.ts";
import { startHfServer, type HfServer } from "../testkit/hf-server.ts";

const why = rendererMissing ?? "";
let t: TestRunner;
let hub: HfServer | undefined;
let hubPort: number;
let session: AppSession;
let page: Page;
let pageErrors: string[] = [];

before(async () => {
  if (rendererMissing) return;
  hubPort = await freePort();
  t = await startTestRunner(
    {},
    {
      name: "catalog-e2e",
      model: false,
      rendererDir: RENDERER_DIR,
      bridge: {
        kind: "app",
        catalog: { searchOptions: { endpoint: `http://127.0.0.1:${hubPort}`, timeoutMs: 3000 } },
      },
    },
  );
  session = await openApp(t);
  ({ page, pageErrors } = session);
});

after(async () => {
  await session?.close();
  await t?.close();
  await hub?.close();
});

const cards = () => page.locator(".card");
const fitBadges = () => page.locator(".card .badge[class*=fit-]");

test("every curated card has a memory-fit badge; variants show a size, estimates marked", async (x) => {
  if (rendererMissing) return x.skip(why);
  await page.getByRole("heading", { name: "Popular small models" }).waitFor();
  await cards().first().waitFor();
  const count = await cards().count();
  assert.ok(count >= 10, `${count} cards`);
  assert.equal(await fitBadges().count(), count, "one fit badge per card");
  for (const text of await fitBadges().allTextContents())
    assert.ok(["Fits", "Tight", "Too large"].includes(text));
  await page.screenshot({ path: await screenshotPath("catalog-fit") });
  await page.setViewportSize({ width: 1024, height: 640 });
  await page.screenshot({ path: await screenshotPath("catalog-fit-1024") });
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByRole("button", { name: /^Open SmolLM2 135M/ }).click();
  await page.getByRole("heading", { name: "Variants" }).waitFor();
  const sizes = await page.locator("table tbody tr td:nth-child(2)").allTextContents();
  assert.ok(sizes.length >= 4, sizes.join(" | "));
  assert.ok(!sizes.includes("—"), `no size shows "—": ${sizes.join(" | ")}`);
  assert.ok(
    sizes.some((s) => s.startsWith("≈ ")),
    "a size the data does not state is a marked estimate",
  );
  assert.ok(
    sizes.some((s) => /^\d/.test(s)),
    "a size the curated data states is shown as is",
  );
  await page.screenshot({ path: await screenshotPath("catalog-variants-offline") });
  await page.getByRole("button", { name: "← Catalog" }).click();
});

test("a failed Hugging Face search says so once, keeps built-ins apart, and Retry finds the Hub's models", async (x) => {
  if (rendererMissing) return x.skip(why);
  await page.getByLabel("Search models").fill("qwen");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  const banner = page.getByRole("alert").filter({ hasText: "Hugging Face search failed" });
  await banner.waitFor();
  const said = await banner.innerText();
  assert.match(said, new RegExp(`Hugging Face search failed: Nothing answers at 127\\.0\\.0\\.1:${hubPort}`));
  assert.equal(said.match(/failed|did not answer/g)?.length, 1, `said once: ${said}`);
  await page.getByRole("heading", { name: "Built-in models matching “qwen”" }).waitFor();
  assert.equal(await page.getByRole("heading", { name: /Results for/ }).count(), 0);
  assert.ok((await cards().count()) >= 1, "built-in matches still listed");
  assert.equal(await fitBadges().count(), await cards().count(), "search results carry fit badges");
  await page.screenshot({ path: await screenshotPath("catalog-search-failed") });

  hub = await startHfServer({
    apiPort: hubPort,
    repos: [
      {
        id: "someone/qwen-tiny-GGUF",
        files: [{ path: "qwen-tiny-Q4_K_M.gguf", content: "x" }],
        downloads: 42,
      },
    ],
  });
  await banner.getByRole("button", { name: "Retry" }).click();
  await page.getByRole("heading", { name: "Results for “qwen”" }).waitFor();
  await page.getByRole("button", { name: /^Open someone\/qwen-tiny-GGUF/ }).waitFor();
  assert.equal(await banner.count(), 0, "the failure is gone once the search answers");
  await page.screenshot({ path: await screenshotPath("catalog-search-retried") });
  await page.getByRole("button", { name: "Clear" }).click();
  assert.deepEqual(pageErrors, []);
});
