// API keys have one source of truth: a settings change applies to HTTP and the WebSocket bridge at once,
// keys cannot be emptied on a runner that listens beyond loopback, the bridge shows them masked, and
// `hangar serve` takes them from a file instead of the command line.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { startTestRunner, type TestRunner } from "../../../testkit/runner.ts";
import { flagsToSettings } from "../../cli/commands/serve.ts";
import { keyProtocol } from "./ws-transport.ts";

const OLD = "old-key-1111";
const NEW = "new-key-2222";
let t: TestRunner;
before(async () => {
  // Beyond loopback: every interface, so keys are required. The key is in settings.json, as the
  // settings screen writes it (a --api-key flag would override the file).
  t = await startTestRunner(
    { host: "0.0.0.0" },
    {
      model: false,
      bridge: { kind: "core" },
      prepare: (home) => writeFile(join(home, "settings.json"), JSON.stringify({ apiKeys: [OLD] })),
    },
  );
});
after(() => t?.close());

const api = (key: string, method = "GET", body?: unknown) =>
  fetch(`${t.url}/hangar/settings`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** Opens the bridge with a key; resolves with the socket, or the HTTP status that refused it. */
function bridge(key: string | null): Promise<WebSocket | number> {
  const ws = new WebSocket(
    `${t.url.replace("http:", "ws:")}/bridge`,
    ["hangar.v1", ...(key ? [keyProtocol(key)] : [])],
    { origin: t.url },
  );
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(ws));
    ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.once("error", reject);
  });
}

function call(ws: WebSocket, method: string): Promise<{ ok: boolean; value?: { apiKeys: string[] } }> {
  return new Promise((resolve) => {
    ws.once("message", (raw) => resolve(JSON.parse(raw.toString()).result));
    ws.send(JSON.stringify({ id: 1, method }));
  });
}

test("emptying the keys of a runner that listens beyond loopback is refused", async () => {
  const res = await api(OLD, "PUT", { apiKeys: [] });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /cannot be emptied/);
  assert.equal(await bridge(null), 401, "the bridge still wants a key");
  assert.equal((await api(OLD)).status, 200);
});

test("a new key applies to HTTP and the bridge at once; the old one stops working for both", async () => {
  assert.equal((await api(OLD, "PUT", { apiKeys: [NEW] })).status, 200);
  assert.equal((await api(OLD)).status, 401);
  assert.equal((await api(NEW)).status, 200);
  assert.equal(await bridge(OLD), 401);
  const ws = await bridge(NEW);
  assert.ok(ws instanceof WebSocket);
  const got = await call(ws, "settings.get");
  ws.close();
  assert.deepEqual(got.value?.apiKeys, ["…2222"], "the bridge shows keys masked");
  // Sending the masked list back (a settings screen saving other fields) keeps the real key.
  assert.equal((await api(NEW, "PUT", { apiKeys: ["…2222"] })).status, 200);
  assert.deepEqual(t.runner.settings().apiKeys, [NEW]);
});

test("hangar serve reads keys from a file", async () => {
  const dir = await mkdtemp(join(tmpdir(), "hangar-keys-"));
  try {
    const file = join(dir, "keys");
    await writeFile(file, "# Hangar keys\nfile-key-3333\n\n", { mode: 0o600 });
    assert.deepEqual(flagsToSettings(["--api-key-file", file]).apiKeys, ["file-key-3333"]);
    assert.throws(() => flagsToSettings(["--api-key-file", join(dir, "missing")]), /cannot read/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
