import { test } from "node:test";
import assert from "node:assert/strict";
import { createCatalogService } from "./catalog-service.ts";
import { estimateDownloadBytes, parameterCount } from "./size-estimate.ts";
import { freePort } from "../../../testkit/registry.ts";

const GiB = 1024 ** 3;
const closed = await freePort();
const offline = (budget: number | null) =>
  createCatalogService({
    memoryBudgetBytes: () => budget,
    searchOptions: { endpoint: `http://127.0.0.1:${closed}`, timeoutMs: 2000 },
    machine: { totalBytes: () => 16 * GiB, freeBytes: () => 8 * GiB },
  });

test("sizes the curated data does not state are estimated from parameters and quantization", () => {
  assert.equal(parameterCount("270M"), 270e6);
  assert.equal(parameterCount("1.7B"), 1.7e9);
  assert.equal(parameterCount("about 3B"), null);
  assert.equal(estimateDownloadBytes("1B", "Q8_0"), 1_062_500_000);
  assert.equal(estimateDownloadBytes("1B", "default"), null, "an unstated quantization has no estimate");
});

test("offline, only variants whose quantization is not stated lack a size; stated sizes are kept", async () => {
  const entries = await offline(null).list();
  const variants = entries.flatMap((e) => e.variants.map((v) => ({ ...v, entry: e.id })));
  const unknown = variants.filter((v) => v.sizeBytes === null);
  assert.ok(
    unknown.every((v) => v.quantization === "default"),
    unknown.map((v) => `${v.entry} ${v.quantization}`).join(", "),
  );
  assert.ok(unknown.length <= 8, `${unknown.length} of ${variants.length} without a size`);
  const gemma1b = entries.find((e) => e.id === "gemma3-1b")!;
  const q4 = gemma1b.variants.find((v) => v.quantization === "Q4_K_M")!;
  assert.equal(q4.sizeEstimated, undefined, "a size from the catalog facts is not an estimate");
  assert.ok(variants.some((v) => v.sizeEstimated === true));
});

test("cards and search results carry the memory fit of their smallest variant", async () => {
  const roomy = await offline(null).list();
  assert.ok(
    roomy.every((e) => e.fit !== undefined && e.fit !== null),
    "every curated entry has a size",
  );
  assert.equal(roomy.find((e) => e.id === "smollm2-135m")!.fit, "fits");
  const tiny = await offline(300 * 1024 ** 2).list();
  assert.equal(tiny.find((e) => e.id === "gemma3-4b")!.fit, "too_large", "a 300 MiB budget");

  const found = await offline(null).search("qwen", 20);
  assert.equal(
    found.searchError,
    `Nothing answers at 127.0.0.1:${closed} — is it running, and is the address right?`,
  );
  assert.ok(found.entries.length > 0 && found.entries.every((e) => e.fit === "fits" || e.fit === "tight"));
});
