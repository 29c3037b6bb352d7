/**
 * The desktop app itself through playwright-core's Electron driver: the window opens locked down,
 * shows the app, and toggles the runner. Needs an Electron binary: ELECTRON_OVERRIDE_DIST_PATH (the
 * folder holding `electron`) or node_modules/electron/dist; skips with the reason where there is none.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { _electron, type ElectronApplication, type Page } from "playwright-core";
import { screenshotPath } from "../testkit/browser.ts";

const ROOT = join(import.meta.dirname, "..");
const binary = [
  process.env.ELECTRON_OVERRIDE_DIST_PATH && join(process.env.ELECTRON_OVERRIDE_DIST_PATH, "electron"),
  join(ROOT, "node_modules", "electron", "dist", "electron"),
].find((p): p is string => Boolean(p) && existsSync(p!));
const built = existsSync(join(ROOT, "dist", "main", "main.js"));
const skip = !binary
  ? "no Electron binary (set ELECTRON_OVERRIDE_DIST_PATH or let npm install electron's binary)"
  : !built
    ? "dist/main/main.js is missing: run `npm run build` first"
    : false;
if (skip) console.log(`# electron.spec skipped: ${skip}`);

let home: string;
let app: ElectronApplication;
let page: Page;

before(async () => {
  if (skip) return;
  home = await mkdtemp(join(tmpdir(), "hangar-electron-"));
  app = await _electron.launch({
    executablePath: binary,
    args: [ROOT, "--no-sandbox"],
    env: { ...process.env, HANGAR_HOME: home, HANGAR_PORT: "0", HANGAR_THREADS: "2" },
  });
  page = await app.firstWindow();
});
after(async () => {
  await app?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

test("the window opens locked down and shows the app", { skip }, async () => {
  assert.equal(await page.title(), "Hangar");
  // No Node in the page (nodeIntegration off, context isolated): only the preload's typed object.
  assert.equal(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process), "undefined");
  assert.equal(
    await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require),
    "undefined",
  );
  assert.equal(await page.evaluate(() => typeof window.hangar?.methods["runner.status"]), "function");
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const name of ["Catalog", "Models", "Chat", "Logs", "Settings"])
    assert.ok(await nav.getByRole("button", { name, exact: true }).isVisible());
  await page.screenshot({ path: await screenshotPath("electron-window") });
});

test("the runner toggle stops and starts the runner", { skip }, async () => {
  const status = page.getByRole("status", { name: "Runner status" });
  await status.getByText("Running").waitFor({ timeout: 30_000 });
  await page.getByRole("button", { name: "Stop runner" }).click();
  await status.getByText("Stopped").waitFor();
  await page.getByRole("button", { name: "Start runner" }).click();
  await status.getByText("Running").waitFor();
});
