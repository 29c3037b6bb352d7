// The compose example's web page (deploy/compose/web) in Chromium, served from another origin than the
// runner's, calling the runner straight from the browser with the key: allowed because the runner lists
// the page's origin, refused when it does not. The page's host name resolves to loopback in Chromium only.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH, screenshotPath } from "../testkit/browser.ts";
import { startTestRunner, TINY_MODEL, type TestRunner } from "../testkit/runner.ts";

const WEB = join(import.meta.dirname, "..", "deploy", "compose", "web");
const KEY = "compose-page-key-0123456789";
let browser: Browser;
let web: Server;
let origin = "";
let runnerUrl = "";

// Plays the nginx service: the static files, and /config.js from the environment it would have.
function startWebServer(): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/config.js") {
      res.writeHead(200, { "content-type": "application/javascript" });
      res.end(`window.HANGAR_CONFIG = ${JSON.stringify({ url: runnerUrl, model: TINY_MODEL, key: KEY })};\n`);
      return;
    }
    const file = path === "/" ? "index.html" : path.slice(1);
    if (!["index.html", "app.js"].includes(file)) {
      res.writeHead(404).end();
      return;
    }
    void readFile(join(WEB, file)).then((body) => {
      res.writeHead(200, { "content-type": file.endsWith(".js") ? "application/javascript" : "text/html" });
      res.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

before(async () => {
  web = await startWebServer();
  const port = (web.address() as { port: number }).port;
  origin = `http://app.example.test:${port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, "--host-resolver-rules=MAP app.example.test 127.0.0.1"],
  });
});
after(async () => {
  await browser?.close();
  await new Promise((r) => web?.close(r));
});

async function askFromPage(runner: TestRunner): Promise<string> {
  runnerUrl = runner.url;
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(origin);
  await page.getByRole("button", { name: "Ask" }).click();
  await page.waitForFunction(() => (document.getElementById("reply")?.textContent ?? "").length > 0, null, {
    timeout: 60_000,
  });
  const text = (await page.locator("#reply").textContent()) ?? "";
  await page.screenshot({
    path: await screenshotPath(
      `compose-web-app-${runner.runner.settings().corsOrigins.length ? "allowed" : "refused"}`,
    ),
  });
  await page.close();
  assert.deepEqual(errors, []);
  return text;
}

test("a page on the allowed origin streams a reply from the runner with the key", async () => {
  const runner = await startTestRunner({ apiKeys: [KEY], corsOrigins: [origin] });
  try {
    const text = await askFromPage(runner);
    assert.doesNotMatch(text, /Could not reach/);
    assert.ok(text.trim().length > 0);
  } finally {
    await runner.close();
  }
});

test("the same page on an origin the runner does not list cannot read its answers", async () => {
  const runner = await startTestRunner({ apiKeys: [KEY], corsOrigins: [] });
  try {
    assert.match(await askFromPage(runner), /Could not reach the runner/);
  } finally {
    await runner.close();
  }
});
