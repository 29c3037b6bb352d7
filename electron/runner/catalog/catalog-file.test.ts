import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { validateCatalogFile, CatalogFileError } from "./catalog-file.ts";

const shippedText = await readFile(new URL("../../../resources/catalog.json", import.meta.url), "utf8");

test("the shipped catalog is valid, pins every tag and gives every variant a reference", () => {
  const catalog = validateCatalogFile(JSON.parse(shippedText));
  assert.ok(catalog.models.length >= 15);
  assert.doesNotMatch(shippedText, /:latest"/i);
  for (const m of catalog.models) {
    assert.ok(
      m.variants.every((v) => Object.keys(v.refs).length > 0),
      m.id,
    );
  }
  const ids = catalog.models.map((m) => m.id);
  for (const id of [
    "gemma3-1b",
    "gemma3-270m",
    "qwen3-0.6b",
    "qwen3-1.7b",
    "qwen3-4b",
    "llama3.2-1b",
    "llama3.2-3b",
  ]) {
    assert.ok(ids.includes(id), id);
  }
  for (const id of [
    "smollm2-135m",
    "smollm2-360m",
    "smollm2-1.7b",
    "phi-4-mini",
    "deepseek-r1-distill-qwen-1.5b",
  ]) {
    assert.ok(ids.includes(id), id);
  }
  assert.ok(catalog.models.filter((m) => m.kind === "embedding").length >= 3);
});

test("facts the catalog must carry exactly", () => {
  const catalog = validateCatalogFile(JSON.parse(shippedText));
  const byId = new Map(catalog.models.map((m) => [m.id, m]));
  const gemma = byId.get("gemma3-1b")!;
  const q4 = gemma.variants.find((v) => v.quantization === "Q4_K_M")!;
  assert.equal(q4.refs.docker, "ai/gemma3:1B-Q4_K_M");
  assert.equal(q4.refs.huggingface, "hf.co/ggml-org/gemma-3-1b-it-GGUF:Q4_K_M");
  assert.equal(q4.sizeBytes, 806_058_240);
  // Phi-4-mini has no Docker Hub repository (ai/phi4 is the 14B): no docker reference may appear.
  assert.ok(byId.get("phi-4-mini")!.variants.every((v) => v.refs.docker === undefined));
});

test("the validator names each problem", () => {
  const bad = {
    version: 1,
    models: [
      {
        id: "Bad Id",
        name: "x",
        family: "x",
        kind: "chat",
        description: "two\nlines",
        parameters: "1B",
        contextLength: 0,
        license: null,
        variants: [
          { quantization: "Q4_K_M", sizeBytes: -1, refs: { docker: "ai/x:latest" } },
          { quantization: "Q4_K_M", sizeBytes: null, refs: {} },
          {
            quantization: "Q8_0",
            sizeBytes: null,
            refs: { ollama: "ollama.com/library/x", hf: "hf.co/a/b:Q8_0" },
          },
        ],
      },
    ],
  };
  try {
    validateCatalogFile(bad);
    assert.fail("expected CatalogFileError");
  } catch (err) {
    assert.ok(err instanceof CatalogFileError);
    const text = err.problems.join("\n");
    for (const expected of [
      /id must be lowercase/,
      /description must be one line/,
      /contextLength must be a positive integer/,
      /sizeBytes must be a positive integer/,
      /uses "latest"/,
      /duplicate quantization Q4_K_M/,
      /needs at least one reference/,
      /ollama reference "ollama.com\/library\/x" is malformed/,
      /unknown reference kind "hf"/,
    ]) {
      assert.match(text, expected);
    }
  }
  assert.throws(() => validateCatalogFile([]), CatalogFileError);
  assert.throws(() => validateCatalogFile({ version: 2, models: [] }), /version must be 1/);
});
