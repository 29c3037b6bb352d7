/** Pause, resume and cancel against a real store pulling from a real, throttled loopback registry. */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import {
  REGISTRY_BINARY,
  startProxy,
  startRegistry,
  type RunningProxy,
  type RunningRegistry,
} from "../../../testkit/registry.ts";
import { startTestRunner, type TestRunner } from "../../../testkit/runner.ts";
import type { Runner } from "../runner.ts";
import type { PullQueue } from "./pull-queue.ts";
import { publishTinyModel } from "../../../testkit/publish.ts";
import { freePort } from "../../../testkit/registry.ts";

const skip = existsSync(REGISTRY_BINARY) ? false : `no ${REGISTRY_BINARY}: apt-get install docker-registry`;
let t: TestRunner;
let home: string;
let registry: RunningRegistry;
let proxy: RunningProxy;
let runner: Runner;
let size: number;
let ref: string;

before(async () => {
  if (skip) return;
  t = await startTestRunner({}, { name: "downloads", model: false, start: false });
  ({ home, runner } = t);
  registry = await startRegistry();
  size = await publishTinyModel(registry, home, "dl/m:1", { seed: 8, embeddingLength: 128, blockCount: 4 });
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

async function listedRunning(downloads: PullQueue): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const d = downloads.list().find((x) => x.ref === ref && x.state === "running");
    if (d) return d.id;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no running pull of ${ref} listed`);
}

async function untilProgress(downloads: PullQueue, id: string, min: number) {
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
  const downloads = runner.pulls;
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
  const downloads = runner.pulls;
  const started = downloads.start(ref);
  await untilProgress(downloads, started.id, size / 4);
  const cancelled = await downloads.cancel(started.id);
  assert.equal(cancelled.state, "cancelled");
  assert.deepEqual(await partials(), []);
  assert.ok(!(await runner.library.list()).some((m) => m.ref === ref));
  assert.throws(() => downloads.resume(started.id), /cancelled/);
});

test(
  "a pull awaited through the queue (HTTP API, CLI) is listed with progress like any other",
  { skip },
  async () => {
    const downloads = runner.pulls;
    const phases: string[] = [];
    const listed: string[] = [];
    const off = downloads.onChange((d) => {
      if (d.ref === ref) listed.push(`${d.state}:${d.phase}`);
    });
    const model = await runner.library.pull(ref, { onProgress: (p) => phases.push(p.phase) });
    off();
    assert.equal(model.ref, ref);
    assert.deepEqual([phases[0], phases.at(-1)], ["resolving", "done"]);
    assert.ok(phases.includes("downloading"));
    assert.ok(listed.includes("running:downloading"), listed.join(" "));
    assert.equal(listed.at(-1), "done:done");
    const entry = downloads.list().find((d) => d.ref === ref && d.state === "done");
    assert.equal(entry?.completedBytes, entry?.totalBytes);
    await runner.library.remove(ref);
  },
);

test(
  "an awaited pull paused in the app says so; its caller going away pauses it, and it resumes",
  { skip },
  async () => {
    const downloads = runner.pulls;
    const awaited = runner.library.pull(ref);
    // The library looks among other tools' models first: the pull joins the queue a moment later.
    const id = await listedRunning(downloads);
    await untilProgress(downloads, id, size / 4);
    downloads.pause(id);
    await assert.rejects(awaited, /the pull of .* was paused; resume it in Hangar or pull again/);
    assert.ok((await partials()).length > 0, "the partial file stays while paused");

    const controller = new AbortController();
    const again = runner.library.pull(ref, { signal: controller.signal });
    assert.equal(await listedRunning(downloads), id, "pulling the same reference resumes the paused pull");
    controller.abort(new Error("client went away"));
    await assert.rejects(again, /client went away/);
    assert.equal((await downloads.settled(id)).state, "paused");

    downloads.resume(id);
    const done = await downloads.settled(id);
    assert.equal(done.state, "done", done.error ?? "");
    await runner.library.remove(ref);
  },
);

test("a malformed reference is refused before anything is queued", { skip }, () => {
  const downloads = runner.pulls;
  const before = downloads.list().length;
  for (const bad of ["not a ref!!", "a b c", "hf.co/", "https://huggingface.co/foo/bar"])
    assert.throws(() => downloads.start(bad), { code: "invalid_reference" }, bad);
  assert.equal(downloads.list().length, before, "no download row for a refused reference");
});

test(
  "failed pulls say why in words and whether retrying helps; clear forgets finished ones",
  { skip },
  async () => {
    const downloads = runner.pulls;
    const removed: string[][] = [];
    const off = downloads.onRemoved((ids) => removed.push(ids));
    const port = await freePort();
    const unreachable = await downloads.settled(downloads.start(`127.0.0.1:${port}/team/m:1`).id);
    assert.equal(unreachable.state, "error");
    assert.match(unreachable.error!, new RegExp(`^Nothing answers at 127\\.0\\.0\\.1:${port}`));
    assert.equal(unreachable.retryable, true, "the registry may come back");
    const missing = await downloads.settled(downloads.start(`${registry.host}/nobody/here:1`).id);
    assert.equal(missing.state, "error");
    assert.equal(missing.retryable, false, `a model that does not exist: ${missing.error}`);

    const running = downloads.start(ref);
    assert.deepEqual(downloads.clear([unreachable.id, running.id]), [unreachable.id], "a running pull stays");
    assert.deepEqual(removed, [[unreachable.id]], "subscribers hear of it");
    const cleared = downloads.clear();
    assert.ok(cleared.includes(missing.id));
    assert.ok(downloads.list().every((d) => d.state === "running" || d.state === "paused"));
    await downloads.cancel(running.id);
    off();
  },
);
