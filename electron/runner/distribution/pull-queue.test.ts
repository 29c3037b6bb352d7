/** Pause, resume and cancel against a real store pulling from a real, throttled loopback registry. */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { writeTinyModel } from "../../../testkit/gguf-writer.ts";
import {
  REGISTRY_BINARY,
  startProxy,
  startRegistry,
  type RunningProxy,
  type RunningRegistry,
} from "../../../testkit/registry.ts";
import { ModelStore } from "../store/model-store.ts";
import { pushModel } from "./push-model.ts";
import { importGguf } from "./packaging/package-model.ts";
import { startTestRunner, type TestRunner } from "../../../testkit/runner.ts";
import type { Runner } from "../runner.ts";
import type { BridgeHost } from "../bridge/bridge-host.ts";
import type { Downloads } from "./pull-queue.ts";

const skip = existsSync(REGISTRY_BINARY) ? false : `no ${REGISTRY_BINARY}: apt-get install docker-registry`;
let t: TestRunner;
let home: string;
let registry: RunningRegistry;
let proxy: RunningProxy;
let runner: Runner;
let host: BridgeHost;
let size: number;
let ref: string;

before(async () => {
  if (skip) return;
  t = await startTestRunner(
    {},
    { name: "downloads", model: false, start: false, bridge: { kind: "core", webSocket: false } },
  );
  ({ home, runner } = t);
  host = t.bridge!;
  registry = await startRegistry();
  const publisher = new ModelStore({ root: join(home, "pub") });
  const gguf = await writeTinyModel(join(home, "m.gguf"), { seed: 8, embeddingLength: 128, blockCount: 4 });
  size = (await stat(gguf)).size;
  await importGguf(publisher, gguf, `${registry.host}/dl/m:1`);
  await pushModel(publisher, `${registry.host}/dl/m:1`, { env: { HANGAR_HOME: join(home, "p") } });
  // About four seconds for the whole model: time to pause and cancel half-way.
  proxy = await startProxy({ upstream: registry.url, throttle: Math.round(size / 4) });
  ref = `${proxy.host}/dl/m:1`;
});
after(async () => {
  await proxy?.close();
  await registry?.close();
  await t?.close();
});

async function partials(): Promise<string[]> {
  const dir = runner.store.blobs.incomingDir;
  return (await readdir(dir)).filter((n) => n.includes(".partial"));
}

async function untilProgress(downloads: Downloads, id: string, min: number) {
  for (let i = 0; i < 400; i++) {
    const d = downloads.get(id);
    if (d.completedBytes >= min) return d;
    if (d.state === "error" || d.state === "done")
      throw new Error(`download ended early: ${d.state} ${d.error}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("no progress");
}

test("pause keeps the partial data and resume finishes from it", { skip }, async () => {
  const { downloads } = host;
  const seen: string[] = [];
  const off = downloads.onChange((d) => seen.push(d.state));
  const started = downloads.start(ref);
  await untilProgress(downloads, started.id, size / 4);
  const paused = downloads.pause(started.id);
  assert.equal(paused.state, "paused");
  const settled = await downloads.settled(started.id);
  assert.equal(settled.state, "paused", "an aborted pull reads as paused, not failed");
  assert.ok((await partials()).length > 0, "the partial file stays while paused");
  const servedBeforeResume = proxy.blobBytes();
  downloads.resume(started.id);
  const done = await downloads.settled(started.id);
  off();
  assert.equal(done.state, "done", done.error ?? "");
  assert.ok((await runner.library.list()).some((m) => m.ref === ref));
  const servedAfterResume = proxy.blobBytes() - servedBeforeResume;
  assert.ok(
    servedAfterResume < size * 0.9,
    `resume fetched only the rest (${servedAfterResume} of ${size} bytes after resuming)`,
  );
  assert.deepEqual([seen[0], seen.at(-1)], ["running", "done"]);
  assert.ok(seen.includes("paused"));
  await runner.library.remove(ref);
});

test("cancel stops the pull and removes its partial data", { skip }, async () => {
  const { downloads } = host;
  const started = downloads.start(ref);
  await untilProgress(downloads, started.id, size / 4);
  const cancelled = await downloads.cancel(started.id);
  assert.equal(cancelled.state, "cancelled");
  assert.deepEqual(await partials(), []);
  assert.ok(!(await runner.library.list()).some((m) => m.ref === ref));
  assert.throws(() => downloads.resume(started.id), /cancelled/);
});
