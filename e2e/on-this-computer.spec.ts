/**
 * Models → "On this computer" in a browser against a real runner whose HOME holds an Ollama folder and
 * a Hugging Face cache: each model shows its source badge and memory fit, chats in place, and "Add to
 * Hangar" moves it into the store's list. The screenshot lands in e2e/screenshots/.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { screenshotPath } from "../testkit/browser.ts";
import { startBrowserApp, type BrowserApp } from "../testkit/browser-app.ts";
import { writeTinyModel } from "../testkit/gguf-writer.ts";
import { RENDERER_DIR, rendererMissing, type TestRunner } from "../testkit/runner.ts";
import { toolRoots, writeHfCacheRepo, writeOllamaModel } from "../testkit/tool-stores.ts";

let ui: BrowserApp;
let app: TestRunner;
let page: Page;
let pageErrors: string[] = [];

before(async () => {
  if (rendererMissing) return;
  ui = await startBrowserApp(
    { parallel: 1 },
    {
      name: "on-this-computer",
      model: false,
      rendererDir: RENDERER_DIR,
      bridge: { kind: "app" },
      prepare: async (home) => {
        const gguf = await writeTinyModel(join(home, "src", "tiny-Q8_0.gguf"), {
          seed: 2,
          contextLength: 1024,
        });
        const roots = toolRoots(home);
        await writeOllamaModel(roots.ollama, { name: "library/gemma3", tag: "1b", gguf });
        await writeHfCacheRepo(roots.hfHub, "acme", "Tiny-GGUF", { "tiny-Q8_0.gguf": gguf });
      },
    },
    { screen: "Models" },
  );
  ({ app, page, pageErrors } = ui);
});
after(() => ui?.close());

test("models other apps keep are listed with source and memory fit, and can be added to Hangar", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  const section = page.getByRole("region", { name: "On this computer" });
  const ollamaRow = section.getByRole("row", { name: "registry.ollama.ai/library/gemma3:1b" });
  const hfRow = section.getByRole("row", { name: "hf.co/acme/Tiny-GGUF:Q8_0" });
  await ollamaRow.waitFor();
  assert.match(await ollamaRow.innerText(), /Ollama/);
  assert.match(await hfRow.innerText(), /Hugging Face cache/);
  assert.match(await hfRow.innerText(), /Fits ·/);
  await page.screenshot({ path: await screenshotPath("models-on-this-computer"), fullPage: true });

  await hfRow.getByRole("button", { name: "Add to Hangar" }).click();
  await page.getByText(/Added hf\.co\/acme\/Tiny-GGUF:Q8_0 to Hangar \(.*sha256 verified\)/).waitFor();
  await hfRow.waitFor({ state: "detached" });
  const installed = page.locator("table").first().getByRole("row", { name: "hf.co/acme/Tiny-GGUF:Q8_0" });
  await installed.waitFor();
  assert.equal(await section.getByRole("row", { name: "registry.ollama.ai/library/gemma3:1b" }).count(), 1);
  assert.deepEqual(pageErrors, []);
});

test("Settings switch a source off: its models leave the list", async (t) => {
  if (rendererMissing) return t.skip(rendererMissing);
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("button", { name: "Settings" }).click();
  const ollama = page.getByRole("checkbox", { name: "Use models from Ollama" });
  assert.equal(await ollama.isChecked(), true, "every source is on by default");
  await ollama.uncheck();
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByText("Settings saved.").waitFor();
  assert.deepEqual(app.runner.settings().discoveryDisabled, ["ollama"]);
  await nav.getByRole("button", { name: "Models" }).click();
  await page.getByRole("row", { name: "hf.co/acme/Tiny-GGUF:Q8_0" }).first().waitFor();
  const section = page.getByRole("region", { name: "On this computer" });
  await section
    .getByRole("row", { name: "registry.ollama.ai/library/gemma3:1b" })
    .waitFor({ state: "detached" });
  assert.deepEqual(pageErrors, []);
});
