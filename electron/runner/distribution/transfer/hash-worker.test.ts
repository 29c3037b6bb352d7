import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { sharedBuffer, SharedBufferPool, WorkerHash } from "./hash-worker.ts";

test("the hashing thread gives the digests createHash gives, for interleaved hashes", async () => {
  const a = randomBytes(3 << 20);
  const b = randomBytes(1000);
  const ha = new WorkerHash();
  const hb = new WorkerHash();
  const shared = sharedBuffer(a.length);
  shared.set(a);
  await Promise.all([
    ha.update(shared.subarray(0, 1 << 20)),
    hb.update(b), // not shared memory: copied first
    ha.update(shared.subarray(1 << 20)),
    hb.update(new Uint8Array(0)),
  ]);
  assert.equal(await ha.digest(), createHash("sha256").update(a).digest("hex"));
  assert.equal(await hb.digest(), createHash("sha256").update(b).digest("hex"));
  assert.equal(await new WorkerHash().digest(), createHash("sha256").digest("hex"));
});

test("the buffer pool hands back what it was given, only of its own size", () => {
  const pool = new SharedBufferPool(16);
  const first = pool.take();
  assert.ok(first.buffer instanceof SharedArrayBuffer);
  pool.give(first);
  pool.give(sharedBuffer(8));
  assert.equal(pool.take(), first);
  assert.notEqual(pool.take(), first);
});
