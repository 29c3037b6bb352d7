/**
 * The bridge protocol over a real WebSocket against a real runner (store on a temp dir, the real
 * engine with a generated GGUF, a real loopback registry for pulls).
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { existsSync } from "node:fs";
import WebSocket from "ws";
import { writeTinyModel } from "../../../testkit/gguf-writer.ts";
import { startRegistry, REGISTRY_BINARY, type RunningRegistry } from "../../../testkit/registry.ts";
import { startTestRunner, type TestRunner } from "../../../testkit/runner.ts";
import { ModelStore } from "../store/model-store.ts";
import { pushModel } from "../distribution/push-model.ts";
import { importGguf } from "../distribution/packaging/package-model.ts";
import { keyProtocol } from "./ws-transport.ts";

// Frames are untyped JSON here on purpose: the test reads them as a foreign client would.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const TINY = "local/tiny:1";
let t: TestRunner;
let home: string;
let url: string;
const sockets: WebSocket[] = [];

before(async () => {
  t = await startTestRunner(
    { parallel: 1, contextSize: 256 },
    {
      name: "bridge",
      model: { seed: 3, contextLength: 512, ref: TINY },
      bridge: { kind: "core", catalog: { searchOptions: { curatedOnly: true } } },
    },
  );
  ({ home, url } = t);
});
after(async () => {
  for (const ws of sockets) ws.terminate();
  await t?.close();
});

/** A bridge client: numbered calls, subscriptions collecting their events. */
async function connect(options: { origin?: string | null; protocols?: string[] } = {}) {
  const wsUrl = url.replace("http:", "ws:") + "/bridge";
  const origin = options.origin === undefined ? url : options.origin;
  const ws = new WebSocket(wsUrl, options.protocols ?? ["hangar.v1"], origin ? { origin } : {});
  sockets.push(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once("error", reject);
  });
  let next = 1;
  const waiting = new Map<number, (r: unknown) => void>();
  const events = new Map<number, { kind: string; seq: number; data?: unknown; error?: unknown }[]>();
  ws.on("message", (raw) => {
    const m = JSON.parse(raw.toString());
    if (m.id !== undefined) waiting.get(m.id)?.(m.result);
    if (m.sub !== undefined) events.get(m.sub)?.push(m.event);
  });
  return {
    ws,
    call: (method: string, params?: unknown) =>
      new Promise<{ ok: boolean; value?: Json; error?: { code: string; message: string } }>((resolve) => {
        const id = next++;
        waiting.set(id, resolve as (r: unknown) => void);
        ws.send(JSON.stringify({ id, method, params }));
      }),
    subscribe(stream: string, params?: unknown) {
      const sub = next++;
      const list: { kind: string; seq: number; data?: Json; error?: Json }[] = [];
      events.set(sub, list);
      ws.send(JSON.stringify({ sub, stream, params }));
      return { sub, events: list, unsub: () => ws.send(JSON.stringify({ unsub: sub })) };
    },
  };
}

async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>) {
  for (let i = 0; i < 600; i++) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test("only the runner's own origin may open the bridge", async () => {
  await assert.rejects(connect({ origin: "http://evil.example" }), /HTTP 403/);
  await assert.rejects(connect({ origin: null }), /HTTP 403/);
  // Another loopback port is another origin: the page of some other local server.
  await assert.rejects(connect({ origin: "http://127.0.0.1:1" }), /HTTP 403/);
  const client = await connect();
  const status = await client.call("runner.status");
  assert.equal(status.ok, true);
  assert.equal(status.value.state, "running");
});

test("calls are validated and answer with typed errors, never a dropped connection", async () => {
  const client = await connect();
  const unknown = await client.call("no.such.method");
  assert.deepEqual([unknown.ok, unknown.error?.code], [false, "not_found"]);
  const bad = await client.call("models.load", { ref: 42 });
  assert.equal(bad.error?.code, "invalid_request");
  assert.match(bad.error!.message, /params\.ref must be a string/);
  const missing = await client.call("models.inspect", { ref: "nobody/nothing:1" });
  assert.equal(missing.error?.code, "not_found");
  const tooSmall = await client.call("settings.update", { contextSize: 10 });
  assert.equal(tooSmall.error?.code, "invalid_request");
  client.ws.send("not json");
  assert.equal((await client.call("runner.status")).ok, true, "a bad frame leaves the socket usable");
});

test("models: list, inspect, load and unload, with runner.status deltas in order", async () => {
  const client = await connect();
  const list = await client.call("models.list");
  assert.deepEqual(
    list.value.models.map((m: { ref: string; loaded: boolean }) => [m.ref, m.loaded]),
    [[TINY, false]],
  );
  assert.ok(list.value.diskUsageBytes > 0);
  const inspected = await client.call("models.inspect", { ref: TINY });
  assert.equal(inspected.value.metadata["general.architecture"], "llama");
  const status = client.subscribe("runner.status");
  const load = await client.call("models.load", { ref: TINY });
  assert.equal(load.ok, true, JSON.stringify(load.error));
  const loaded = await client.call("models.list");
  assert.equal(loaded.value.models[0].loaded, true);
  await until("a delta listing the model", () =>
    status.events.find((e) => e.kind === "delta" && e.data.loadedModels.includes(TINY)),
  );
  assert.equal(status.events[0]!.kind, "snapshot");
  assert.deepEqual(
    status.events.map((e) => e.seq),
    status.events.map((_, i) => i),
  );
  assert.equal((await client.call("models.unload", { ref: TINY })).ok, true);
  assert.equal((await client.call("models.list")).value.models[0].loaded, false);
  status.unsub();
});

test("settings round-trip through the runner", async () => {
  const client = await connect();
  const saved = await client.call("settings.update", {
    keepAliveSeconds: 42,
    corsOrigins: ["https://a.example"],
  });
  assert.equal(saved.ok, true, JSON.stringify(saved.error));
  const got = await client.call("settings.get");
  assert.equal(got.value.keepAliveSeconds, 42);
  assert.deepEqual(got.value.corsOrigins, ["https://a.example"]);
});

test("catalog: curated entries and details with a memory fit", async () => {
  const client = await connect();
  const list = await client.call("catalog.list");
  assert.ok(list.value.entries.length > 3);
  const first = list.value.entries[0];
  const details = await client.call("catalog.details", { id: first.id });
  assert.equal(details.value.entry.id, first.id);
  const sized = details.value.variants.find((v: { sizeBytes: number | null }) => v.sizeBytes !== null);
  assert.ok(["fits", "tight", "too_large"].includes(sized.fit));
  assert.ok(sized.estimatedBytes > sized.sizeBytes);
});

test("a pull goes on after its subscriber disconnects, then shows up in the model list", async (t) => {
  if (!existsSync(REGISTRY_BINARY)) return t.skip(`no ${REGISTRY_BINARY}: apt-get install docker-registry`);
  let registry: RunningRegistry | null = null;
  try {
    registry = await startRegistry();
    const ref = `${registry.host}/test/pulled:1`;
    const other = new ModelStore({ root: join(home, "other") });
    await importGguf(other, await writeTinyModel(join(home, "pulled.gguf"), { seed: 9 }), ref);
    await pushModel(other, ref, { env: { HANGAR_HOME: join(home, "other-home") } });

    const first = await connect();
    const downloads = first.subscribe("downloads");
    const started = await first.call("pull.start", { ref });
    assert.equal(started.ok, true, JSON.stringify(started.error));
    first.ws.close();

    const second = await connect();
    const done = await until("the pull to finish", async () => {
      const list = await second.call("downloads.list");
      return list.value.downloads.find(
        (d: { id: string; state: string }) => d.id === started.value.id && d.state === "done",
      );
    });
    assert.equal(done.ref, ref);
    assert.ok(done.totalBytes > 0);
    const models = await second.call("models.list");
    assert.ok(models.value.models.some((m: { ref: string }) => m.ref === ref));
    assert.equal(downloads.events[0]?.kind, "snapshot");

    const removed = await second.call("models.delete", { ref });
    assert.equal(removed.ok, true);
    const after = await second.call("models.list");
    assert.ok(!after.value.models.some((m: { ref: string }) => m.ref === ref));
  } finally {
    await registry?.close();
  }
});

test("with API keys configured, the bridge needs one", async () => {
  const keyed = await startTestRunner(
    { apiKeys: ["secret-key-1"] },
    { name: "bridge-key", model: false, bridge: { kind: "core" } },
  );
  try {
    const keyedUrl = keyed.url;
    const open = (protocols: string[]) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(keyedUrl.replace("http:", "ws:") + "/bridge", protocols, {
          origin: keyedUrl,
        });
        ws.once("open", () => {
          ws.close();
          resolve(101);
        });
        ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
        ws.once("error", () => {});
      });
    assert.equal(await open(["hangar.v1"]), 401);
    assert.equal(await open(["hangar.v1", keyProtocol("wrong-key-00")]), 401);
    assert.equal(await open(["hangar.v1", keyProtocol("secret-key-1")]), 101);
  } finally {
    await keyed.close();
  }
});
