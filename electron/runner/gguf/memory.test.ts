import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTinyModel } from "../../../testkit/gguf-writer.ts";
import { readGgufSummary } from "./metadata.ts";
import { estimateMemory, memoryFit, BASE_OVERHEAD_BYTES } from "./memory.ts";

test("KV cache = 2 × layers × ctx × kv_heads × head_dim × 2 bytes, on a generated GGUF", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "hangar-mem-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = await writeTinyModel(join(dir, "m.gguf"), {
    embeddingLength: 128,
    blockCount: 3,
    headCount: 8,
    headCountKv: 2,
  });
  const s = await readGgufSummary(path);
  const e = estimateMemory(s, { contextSize: 1000 });
  const headDim = 128 / 8;
  assert.equal(e.kvCacheBytes, 2 * 3 * 1000 * 2 * headDim * 2);
  assert.equal(e.weightsBytes, s.tensorBytes);
  assert.ok(e.overheadBytes > BASE_OVERHEAD_BYTES);
  assert.equal(e.totalBytes, e.weightsBytes + e.kvCacheBytes + e.overheadBytes);

  const two = estimateMemory(s, { contextSize: 1000, parallel: 2 });
  assert.equal(two.kvCacheBytes, 2 * e.kvCacheBytes);
});

test("a real-model shape gives a plausible figure (Llama 3.2 1B Q4_K_M at 8K)", () => {
  const e = estimateMemory(
    {
      tensorBytes: 807_694_464,
      blockCount: 16,
      embeddingLength: 2048,
      headCount: 32,
      headCountKv: 8,
      vocabSize: 128_256,
      metadata: {},
      architecture: "llama",
    },
    { contextSize: 8192 },
  );
  // llama.cpp reports a 256 MiB f16 KV cache for this model at 8192 tokens.
  assert.equal(e.kvCacheBytes, 256 * 1024 * 1024);
  assert.ok(e.totalBytes > 1.3e9 && e.totalBytes < 2.1e9, String(e.totalBytes));
});

test("explicit key/value lengths override embedding / heads", () => {
  const e = estimateMemory(
    {
      tensorBytes: 0,
      blockCount: 1,
      embeddingLength: 640,
      headCount: 4,
      headCountKv: 1,
      vocabSize: 0,
      metadata: { "gemma3.attention.key_length": 256, "gemma3.attention.value_length": 256 },
      architecture: "gemma3",
    },
    { contextSize: 10 },
  );
  assert.equal(e.kvCacheBytes, 1 * 10 * 1 * (256 + 256) * 2);
});

test("bad options are rejected", () => {
  const s = {
    tensorBytes: 1,
    blockCount: 1,
    embeddingLength: 8,
    headCount: 1,
    headCountKv: 1,
    vocabSize: 1,
    metadata: {},
    architecture: "llama",
  };
  assert.throws(() => estimateMemory(s, { contextSize: 0 }), RangeError);
  assert.throws(() => estimateMemory(s, { contextSize: 10, parallel: 1.5 }), RangeError);
});

test("memoryFit classifies against free and total memory", () => {
  const GiB = 1024 ** 3;
  assert.equal(memoryFit(2 * GiB, 16 * GiB, 8 * GiB), "fits");
  assert.equal(memoryFit(7 * GiB, 16 * GiB, 8 * GiB), "tight");
  assert.equal(memoryFit(12 * GiB, 16 * GiB, 4 * GiB), "tight");
  assert.equal(memoryFit(15 * GiB, 16 * GiB, 15.5 * GiB), "too_large");
});
