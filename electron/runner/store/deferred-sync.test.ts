import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobStore, digestHex, sha256Digest } from "./blob-store.ts";
import { currentBootId, DeferredSync } from "./deferred-sync.ts";
import { ModelStore } from "./model-store.ts";
import { writeTinyModel } from "../../../testkit/gguf-writer.ts";
import { importGguf } from "../distribution/packaging/package-model.ts";

async function withRoot(fn: (root: string) => Promise<void>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), "hangar-deferred-"));
  try {
    await fn(root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Puts `content` in the store under `digest`, with a marker from `boot`, as a crash would leave it. */
async function leftBehind(root: string, digest: string, content: string, boot: string): Promise<void> {
  const hex = digestHex(digest);
  await mkdir(join(root, "blobs", "sha256"), { recursive: true });
  await mkdir(join(root, "pending-sync"), { recursive: true });
  await writeFile(join(root, "blobs", "sha256", hex), content);
  await writeFile(join(root, "pending-sync", hex), boot);
}

test("a downloaded blob is committed at once; its marker goes when the background fsync is done", () =>
  withRoot(async (root) => {
    const store = new BlobStore(root);
    await store.init();
    const digest = sha256Digest("weights");
    const file = join(store.incomingDir, "w.partial");
    await writeFile(file, "weights");
    await store.commit(file, digest, digest, { syncLater: true });
    assert.equal(await readFile(store.path(digest), "utf8"), "weights");
    await store.flush();
    assert.deepEqual(await readdir(join(root, "pending-sync")), []);
  }));

test("after a reboot, pending blobs are hashed again: a damaged one is deleted, a sound one kept", () =>
  withRoot(async (root) => {
    const sound = sha256Digest("sound bytes");
    const damaged = sha256Digest("bytes that never reached the disk");
    await leftBehind(root, sound, "sound bytes", "an-earlier-boot");
    await leftBehind(root, damaged, "\0\0\0\0", "an-earlier-boot");
    const store = new BlobStore(root);
    await store.init();
    assert.deepEqual(await store.recover(), { verified: 2, removed: [damaged] });
    assert.equal(await store.has(sound), true);
    assert.equal(await store.has(damaged), false);
    assert.deepEqual(await readdir(join(root, "pending-sync")), []);
  }));

test("a marker from this boot is completed by an fsync, or kept while its blob is not in place yet", () =>
  withRoot(async (root) => {
    const boot = currentBootId();
    if (!boot) {
      console.log("# skipped: this platform has no boot id, so blobs are synced before the rename");
      return;
    }
    const done = sha256Digest("committed");
    await leftBehind(root, done, "committed", boot);
    const inProgress = digestHex(sha256Digest("not renamed yet"));
    await writeFile(join(root, "pending-sync", inProgress), boot);
    const store = new BlobStore(root);
    await store.init();
    assert.deepEqual(await store.recover(), { verified: 0, removed: [] });
    assert.equal(await store.has(done), true);
    assert.deepEqual(await readdir(join(root, "pending-sync")), [inProgress]);
  }));

test("without a boot id nothing is deferred: the caller syncs before the rename", () =>
  withRoot(async (root) => {
    const sync = new DeferredSync(
      join(root, "pending-sync"),
      (hex) => join(root, hex),
      () => null,
    );
    assert.equal(await sync.mark(digestHex(sha256Digest("x"))), false);
    assert.deepEqual(await readdir(root), []);
  }));

test("a model whose blob failed the check after a reboot is not listed and cannot be loaded", () =>
  withRoot(async (root) => {
    const gguf = join(root, "tiny.gguf");
    await writeTinyModel(gguf, { seed: 3 });
    const models = join(root, "models");
    const installed = await importGguf(new ModelStore({ root: models }), gguf, "local/tiny:1");
    const weights = (await new ModelStore({ root: models }).resolve("local/tiny:1")).ggufPaths[0]!;
    // As if the machine went down before the bytes reached the disk.
    await writeFile(weights, Buffer.alloc((await readFile(weights)).length));
    const hex = weights.split("/").pop()!;
    await mkdir(join(models, "pending-sync"), { recursive: true });
    await writeFile(join(models, "pending-sync", hex), "an-earlier-boot");
    const after = new ModelStore({ root: models });
    assert.deepEqual(await after.list(), []);
    await assert.rejects(after.resolve(installed.ref), /local\/tiny:1 is incomplete: .*hangar pull/);
  }));
