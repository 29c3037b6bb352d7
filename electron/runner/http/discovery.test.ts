// Discovery and error shapes: what Ollama and OpenAI clients see at `/`, at unknown paths, and from
// desktop-app origins.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import OpenAI from "openai";
import { Ollama } from "ollama";
import { createRunner, type Runner } from "../runner.ts";
import { startTestRunner, type TestRunner } from "../../../testkit/runner.ts";

let t: TestRunner;
let withApp: Runner;
let appUrl: string;
before(async () => {
  t = await startTestRunner({ corsOrigins: ["chrome-extension://*"] }, { model: false });
  const ui = join(t.home, "ui");
  await mkdir(ui);
  await writeFile(join(ui, "index.html"), "<!doctype html><title>Hangar</title>");
  withApp = await createRunner({
    home: join(t.home, "app-home"),
    env: {},
    rendererDir: ui,
    settings: { host: "127.0.0.1", port: 0 },
  });
  appUrl = (await withApp.start()).url!;
});
after(async () => {
  await withApp?.close();
  await t?.close();
});

test("GET and HEAD / answer Ollama's probe text; a browser asking for HTML gets the app", async () => {
  for (const url of [t.url, appUrl]) {
    const get = await fetch(`${url}/`);
    assert.equal(get.status, 200);
    assert.equal(await get.text(), "Ollama is running");
    const head = await fetch(`${url}/`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-length"), "17");
  }
  const page = await fetch(`${appUrl}/`, {
    headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" },
  });
  assert.match(await page.text(), /<title>Hangar<\/title>/);
  const route = await fetch(`${appUrl}/models`, { headers: { accept: "text/html" } });
  assert.match(await route.text(), /<!doctype html>/, "the app's own routes still load on reload");
});

test("unknown /v1 and /api paths are 404s in that API's shape, never the app's HTML", async () => {
  const client = new OpenAI({ baseURL: `${appUrl}/v1`, apiKey: "unused", maxRetries: 0 });
  await assert.rejects(client.files.list(), (e: unknown) => e instanceof OpenAI.NotFoundError);
  await assert.rejects(
    client.responses.retrieve("resp_nothing"),
    (e: unknown) => e instanceof OpenAI.NotFoundError,
  );
  const v1 = await fetch(`${appUrl}/v1/files`);
  assert.equal(v1.status, 404);
  const v1Body = (await v1.json()) as { error: { message: string; type: string } };
  assert.match(v1Body.error.message, /Not found: GET \/v1\/files/);

  const api = await fetch(`${appUrl}/api/nothing-here`, { method: "POST", body: "{}" });
  assert.equal(api.status, 404);
  assert.deepEqual(Object.keys((await api.json()) as object), ["error"]);
  const ollama = new Ollama({ host: appUrl });
  await assert.rejects(ollama.show({ model: "absent/model:1" }), /absent\/model:1.*not installed/);
  const wrongMethod = await fetch(`${appUrl}/api/tags`, { method: "DELETE" });
  assert.equal(wrongMethod.status, 405);
  assert.equal(typeof ((await wrongMethod.json()) as { error: unknown }).error, "string");
});

test("desktop-app and editor origins may run inference by default, never manage", async () => {
  for (const origin of ["app://obsidian.md", "file://", "tauri://localhost", "vscode-webview://abc123"]) {
    const list = await fetch(`${t.url}/v1/models`, { headers: { origin } });
    assert.equal(list.status, 200, origin);
    assert.equal(list.headers.get("access-control-allow-origin"), origin);
    const pull = await fetch(`${t.url}/api/pull`, {
      method: "POST",
      headers: { origin, "content-type": "application/json" },
      body: JSON.stringify({ model: "x/y:1" }),
    });
    assert.equal(pull.status, 403, origin);
    assert.match(((await pull.json()) as { error: string }).error, /not manage models/);
  }
  const web = await fetch(`${t.url}/v1/models`, { headers: { origin: "https://evil.example" } });
  assert.equal(web.status, 403);
});

test("browser extensions are allowed through corsOrigins (chrome-extension://*)", async () => {
  const origin = "chrome-extension://abcdefghijklmnopabcdefghijklmnop";
  const list = await fetch(`${t.url}/v1/models`, { headers: { origin } });
  assert.equal(list.status, 200);
  assert.equal(list.headers.get("access-control-allow-origin"), origin);
  const firefox = await fetch(`${t.url}/v1/models`, { headers: { origin: "moz-extension://1234" } });
  assert.equal(firefox.status, 403, "only the listed scheme");
});
