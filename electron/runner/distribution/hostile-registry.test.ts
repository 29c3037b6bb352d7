// A registry that lies about sizes or sends huge documents: the pull fails at once with a clear error,
// nothing is planned from an absurd size, and nothing half-made is left in the store.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ModelStore } from "../store/model-store.ts";
import { freeBytes } from "../store/disk-space.ts";
import { MAX_BLOB_BYTES } from "../artifact/manifest.ts";
import * as mt from "../artifact/media-types.ts";
import { pullModel } from "./pull.ts";

const digestOf = (data: Buffer | string) => `sha256:${createHash("sha256").update(data).digest("hex")}`;
const config = Buffer.from(JSON.stringify({ config: { format: "gguf" } }));
const shortLayer = Buffer.alloc(600, 7);
const manifests = new Map<string, string>();
const blobs = new Map<string, Buffer>([
  [digestOf(config), config],
  [digestOf(shortLayer), shortLayer],
]);

function manifest(layerSize: number, extra: Record<string, unknown> = {}, configSize = config.length) {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: mt.OCI_MANIFEST,
    config: { mediaType: mt.DOCKER_MODEL_CONFIG, digest: digestOf(config), size: configSize },
    layers: [{ mediaType: mt.DOCKER_GGUF, digest: digestOf(shortLayer), size: layerSize }],
    ...extra,
  });
}

let server: Server;
let host: string;
let dir: string;
let store: ModelStore;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "hangar-hostile-registry-"));
  store = new ModelStore({ root: join(dir, "models") });
  manifests.set("huge", manifest(Number.MAX_SAFE_INTEGER));
  manifests.set("fat", manifest(600, { annotations: { pad: "x".repeat(5 * 1024 * 1024) } }));
  manifests.set("fatconfig", manifest(600, {}, 300 * 1024 * 1024));
  manifests.set("short", manifest(1000));
  const free = await freeBytes(tmpdir());
  if (free + 10e9 <= MAX_BLOB_BYTES) manifests.set("bigger-than-disk", manifest(free + 10e9));
  server = createServer((req, res) => {
    const url = req.url ?? "";
    const m = /^\/v2\/evil\/model\/(manifests|blobs)\/(.+)$/.exec(url);
    if (url === "/v2/") return res.end("{}");
    const body = m?.[1] === "manifests" ? manifests.get(m[2]!) : m ? blobs.get(m[2]!) : undefined;
    if (body === undefined) {
      res.statusCode = 404;
      return res.end();
    }
    if (m?.[1] === "manifests") res.setHeader("content-type", mt.OCI_MANIFEST);
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server?.closeAllConnections();
  server?.close();
  await rm(dir, { recursive: true, force: true });
});

async function assertNothingLeft(): Promise<void> {
  assert.deepEqual(await store.list(), []);
  const incoming = await readdir(join(dir, "models", "incoming")).catch(() => []);
  assert.deepEqual(incoming, [], "no partial download is left behind");
}

test("a layer declaring 2^53-1 bytes is refused before anything is planned or downloaded", async () => {
  await assert.rejects(pullModel(store, `${host}/evil/model:huge`), /declares 9007199254740991 bytes/);
  await assertNothingLeft();
});

test("a pull bigger than the free disk space fails at once, with both figures", async (t) => {
  if (!manifests.has("bigger-than-disk"))
    return t.skip("this disk has more than 1 TiB free: no declared size can exceed it");
  await assert.rejects(
    pullModel(store, `${host}/evil/model:bigger-than-disk`),
    /needs [\d.]+ [kMGT]B, [\d.]+ [kMGT]B free/,
  );
  await assertNothingLeft();
});

test("a manifest over 4 MiB is refused, and so is a config declared over 4 MiB", async () => {
  await assert.rejects(pullModel(store, `${host}/evil/model:fat`), /manifest is larger than 4194304 bytes/);
  await assert.rejects(pullModel(store, `${host}/evil/model:fatconfig`), /config of 314572800 bytes/);
  await assertNothingLeft();
});

test("a blob shorter than declared is reported as such, not as a server that ignores Range", async () => {
  await assert.rejects(
    pullModel(store, `${host}/evil/model:short`),
    /blob is 600 bytes, but 1000 were declared/,
  );
  await assertNothingLeft();
});
