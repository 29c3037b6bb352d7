/**
 * The app's bridge to a runner on another machine: the WebSocket client the desktop app's main process
 * uses (WsBridge over the `ws` package, no Origin header, as a non-browser client sends) against a runner
 * in its own HANGAR_HOME that requires a key.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { WsBridge, type ConnectionState } from "../../contract/ws-bridge.ts";
import type { RunnerStatus } from "../../contract/runner.ts";
import { startTestRunner, TINY_MODEL, type TestRunner } from "../../../testkit/runner.ts";

const KEY = "remote-bridge-key-0123";
let remote: TestRunner;
const bridges: WsBridge[] = [];

before(async () => {
  remote = await startTestRunner({ apiKeys: [KEY] }, { name: "remote-bridge", bridge: { kind: "core" } });
});
after(async () => {
  for (const b of bridges) b.close();
  await remote?.close();
});

function connect(apiKey: string | undefined, states: ConnectionState[] = []): WsBridge {
  const bridge = new WsBridge({
    url: remote.url.replace("http:", "ws:") + "/bridge",
    ...(apiKey ? { apiKey } : {}),
    onConnection: (s) => states.push(s),
    WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  bridges.push(bridge);
  return bridge;
}

test("with the key: calls and streams reach the remote runner's store and status", async () => {
  const bridge = connect(KEY);
  const list = await bridge.call("models.list", undefined as never);
  assert.ok(list.ok, JSON.stringify(list));
  assert.deepEqual(
    list.value.models.map((m) => m.ref),
    [TINY_MODEL],
  );

  const events: { kind: string; data?: RunnerStatus }[] = [];
  const stop = bridge.subscribe("runner.status", undefined as never, (e) => events.push(e as never));
  await waitFor(() => events.length > 0);
  assert.equal(events[0]!.kind, "snapshot");
  assert.equal(events[0]!.data!.state, "running");

  const loaded = await bridge.call("models.load", { ref: TINY_MODEL });
  assert.ok(loaded.ok, JSON.stringify(loaded));
  await waitFor(() => events.some((e) => e.kind === "delta" && e.data!.loadedModels.includes(TINY_MODEL)));
  stop();
  assert.deepEqual(
    remote.runner.engine.loaded().map((m) => m.ref),
    [TINY_MODEL],
    "loaded on the remote runner",
  );
  await bridge.call("models.unload", { ref: TINY_MODEL });
});

test("without the key, or with a wrong one, the runner refuses the socket", async () => {
  for (const key of [undefined, "wrong-key-00000"]) {
    const states: ConnectionState[] = [];
    const bridge = connect(key, states);
    const result = await bridge.call("models.list", undefined as never);
    bridge.close();
    assert.equal(result.ok, false);
    assert.ok(!states.includes("open"), `never opened (${states.join(", ")})`);
  }
});

test("a page from another origin is refused even with the key: browsers only from the runner's own pages", async () => {
  const status = await new Promise<number>((resolve) => {
    const ws = new WebSocket(remote.url.replace("http:", "ws:") + "/bridge", ["hangar.v1"], {
      origin: "https://evil.example",
      headers: { authorization: `Bearer ${KEY}` },
    });
    ws.once("open", () => {
      ws.close();
      resolve(101);
    });
    ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.once("error", () => {});
  });
  assert.equal(status, 403);
});

async function waitFor(check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}
