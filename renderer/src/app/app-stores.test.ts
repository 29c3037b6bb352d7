/* eslint-disable no-restricted-imports -- these tests run in Node: they start a real runner and reach it
   over a real WebSocket with the renderer's own WsBridge, as the page does in a browser. */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import WebSocket from "ws";
import { startAppHost, type AppHost } from "../../../testkit/app-host.ts";
import { startTestRunner, type TestRunner } from "../../../testkit/runner.ts";
import { WsBridge } from "../shared/bridge/ws-bridge.ts";
import { createAppStores, connectAppStores, type AppStores } from "./app-stores.ts";

const TINY = "local/tiny:1";
let t: TestRunner;
let app: AppHost;
const bridges: WsBridge[] = [];

before(async () => {
  t = await startTestRunner(
    { parallel: 1, contextSize: 256 },
    {
      name: "stores",
      model: { seed: 4, contextLength: 512, ref: TINY },
      bridge: {
        kind: "app",
        webSocket: false,
        catalog: { searchOptions: { endpoint: "http://127.0.0.1:9", timeoutMs: 2000 } },
      },
    },
  );
  app = await startAppHost(t.bridge!.dispatcher, join(t.home, "no-renderer"));
});
after(async () => {
  for (const b of bridges) b.close();
  await app?.close();
  await t?.close();
});

function bridgeTo(origin: string): WsBridge {
  class PageSocket extends WebSocket {
    constructor(url: string, protocols: string[]) {
      super(url, protocols, { origin });
    }
  }
  const bridge = new WsBridge({
    url: `${origin.replace("http:", "ws:")}/bridge`,
    WebSocketImpl: PageSocket as unknown as typeof globalThis.WebSocket,
  });
  bridges.push(bridge);
  return bridge;
}

/** Fresh stores on a fresh bridge per test, the way each window gets its own. */
function freshStores(): AppStores {
  return createAppStores(bridgeTo(app.url));
}

async function until<T>(what: string, check: () => T | undefined | null | false) {
  for (let i = 0; i < 400; i++) {
    const value = check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test("runner store: status snapshot, then stop and start through the toggle", async () => {
  const stores = freshStores();
  const disconnect = connectAppStores(stores);
  try {
    const runnerStore = stores.runner;
    await until("a status", () => runnerStore.getState().status);
    assert.equal(runnerStore.getState().status!.state, "running");
    await runnerStore.getState().toggle();
    assert.equal(runnerStore.getState().status!.state, "stopped");
    assert.equal(t.runner.status().state, "stopped");
    await runnerStore.getState().toggle();
    await until("running again", () => runnerStore.getState().status?.state === "running");
    assert.equal(runnerStore.getState().error, null);
  } finally {
    disconnect();
  }
});

test("models store: list, load, unload; errors kept as messages", async () => {
  const { models } = freshStores();
  await models.getState().refresh();
  assert.deepEqual(
    models.getState().list!.models.map((m) => [m.ref, m.loaded]),
    [[TINY, false]],
  );
  await models.getState().load(TINY);
  assert.equal(models.getState().error, null);
  assert.equal(models.getState().list!.models[0]!.loaded, true);
  await models.getState().unload(TINY);
  assert.equal(models.getState().list!.models[0]!.loaded, false);
  await models.getState().inspect(TINY);
  assert.equal(models.getState().details!.metadata["general.architecture"], "llama");
  await models.getState().load("nobody/nothing:1");
  assert.match(models.getState().error ?? "", /not installed/);
});

test("settings store: a valid save applies, an invalid one is refused with the reason at its field", async () => {
  const { settings } = freshStores();
  await settings.getState().load();
  assert.equal(settings.getState().settings!.contextSize, 256);
  assert.equal(await settings.getState().save({ keepAliveSeconds: 90 }), true);
  assert.equal(settings.getState().settings!.keepAliveSeconds, 90);
  assert.equal(t.runner.settings().keepAliveSeconds, 90);
  assert.equal(await settings.getState().save({ parallel: 0 }), false);
  assert.match(settings.getState().fieldErrors.parallel ?? "", /^must be an integer from 1/);
  assert.equal(t.runner.settings().parallel, 1);
});

test("catalog store: curated entries, details, and a search the Hub did not answer", async () => {
  const { catalog } = freshStores();
  await catalog.getState().loadCurated();
  const first = catalog.getState().curated[0];
  assert.ok(first, "curated entries load");
  await catalog.getState().openDetails(first.id);
  assert.equal(catalog.getState().details!.entry.id, first.id);
  await catalog.getState().search("gemma");
  assert.ok(catalog.getState().searchError, "the failed live search is reported");
  assert.ok(catalog.getState().results!.some((e) => e.origin === "curated"));
});

test("downloads store: snapshot, then a failing pull's deltas end in an error with a message", async () => {
  const stores = freshStores();
  const disconnect = connectAppStores(stores);
  try {
    const { downloads } = stores;
    // A loopback server that is no registry: every /v2/ request answers 404.
    const started = await downloads.getState().start(`${new URL(app.url).host}/nobody/nothing:1`);
    assert.ok(!("refused" in started), "a well-formed reference is queued");
    const failed = await until("the pull to fail", () =>
      downloads.getState().downloads.find((d) => d.id === started.id && d.state === "error"),
    );
    assert.ok(failed.error && failed.error.length > 0, "the reason is kept");
    await downloads.getState().cancel(started.id);
    assert.equal(downloads.getState().downloads.find((d) => d.id === started.id)!.state, "cancelled");
  } finally {
    disconnect();
  }
});

test("ws bridge: calls in flight when the socket drops answer 'unavailable'", async () => {
  const stores = freshStores();
  const bridge = bridges.at(-1)!;
  await stores.settings.getState().load();
  const pending = bridge.call("models.list", {});
  bridge.close();
  const result = await pending;
  assert.equal(result.ok ? "ok" : result.error.code, "unavailable");
});

test("ws bridge: after the server comes back, subscriptions start over with a fresh snapshot", async () => {
  let second: AppHost | null = null;
  const first = await startAppHost(t.bridge!.dispatcher, join(t.home, "no-renderer"));
  try {
    const bridge = bridgeTo(first.url);
    const kinds: string[] = [];
    bridge.subscribe("downloads", {}, (e) => kinds.push(e.kind));
    await until("the first snapshot", () => kinds.includes("snapshot"));
    await first.close();
    second = await startAppHost(
      t.bridge!.dispatcher,
      join(t.home, "no-renderer"),
      Number(new URL(first.url).port),
    );
    await until("a second snapshot", () => kinds.filter((k) => k === "snapshot").length === 2);
    const after = await bridge.call("downloads.list", {});
    assert.equal(after.ok, true);
  } finally {
    await second?.close();
    await first.close().catch(() => {});
  }
});
