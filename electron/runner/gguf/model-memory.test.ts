import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTinyModel } from "../../../testkit/gguf-writer.ts";
import { readGgufSummary } from "./metadata.ts";
import { estimateModelMemory, formatBytes, formatMemoryReport } from "./model-memory.ts";

test("sums the weights of every shard and uses the first shard's shape", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "hangar-model-mem-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const a = await writeTinyModel(join(dir, "m-00001-of-00002.gguf"), { seed: 1, contextLength: 256 });
  const b = await writeTinyModel(join(dir, "m-00002-of-00002.gguf"), { seed: 2, contextLength: 256 });
  const one = await readGgufSummary(a);
  const r = await estimateModelMemory([a, b], {
    machineTotalBytes: 16 * 1024 ** 3,
    freeBytes: 8 * 1024 ** 3,
  });
  assert.equal(r.contextSize, 256, "capped by the model's own context length");
  assert.equal(r.estimate.weightsBytes, one.tensorBytes * 2);
  assert.equal(r.fit, "fits");
  const tooBig = await estimateModelMemory([a], { machineTotalBytes: 1024 ** 2, freeBytes: 1024 ** 2 });
  assert.equal(tooBig.fit, "too_large");
  const lines = formatMemoryReport(r);
  assert.match(lines.join("\n"), /context size {5}256 tokens[\s\S]*this machine {5}fits/);
  await assert.rejects(estimateModelMemory([]), /at least one/);
});

test("formatBytes uses binary units", () => {
  assert.equal(formatBytes(512), "512 B");
  assert.equal(formatBytes(806_058_240), "768.7 MiB");
  assert.equal(formatBytes(2 * 1024 ** 3), "2.0 GiB");
});
