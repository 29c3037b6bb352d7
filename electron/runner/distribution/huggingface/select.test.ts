import { test } from "node:test";
import assert from "node:assert/strict";
import { selectGguf, quantOfFile } from "./select.ts";
import { HuggingFaceError } from "./errors.ts";

const files = (...paths: string[]) => paths.map((path) => ({ path }));

test("quant labels from file names", () => {
  assert.equal(quantOfFile("Llama-3.2-1B-Instruct-Q4_K_M.gguf"), "Q4_K_M");
  assert.equal(quantOfFile("smollm2-1.7b-instruct-q4_k_m.gguf"), "Q4_K_M");
  assert.equal(quantOfFile("mistral-7b-instruct-v0.2.Q5_K_M.gguf"), "Q5_K_M");
  assert.equal(quantOfFile("gemma-3-270m-it-UD-Q4_K_XL.gguf"), "UD-Q4_K_XL");
  assert.equal(quantOfFile("Q8_0/model-Q8_0-00001-of-00003.gguf"), "Q8_0");
  assert.equal(quantOfFile("gpt-oss-20b-mxfp4.gguf"), "MXFP4");
  assert.equal(quantOfFile("model.gguf"), null);
});

test("case-insensitive quant, whole-label match preferred", () => {
  const listing = files("m-Q4_K_S.gguf", "m-Q4_K_M.gguf", "m-Q8_0.gguf", "README.md");
  assert.deepEqual(selectGguf(listing, "q4_k_m", "u/r").model, files("m-Q4_K_M.gguf"));
  assert.equal(selectGguf(listing, "Q8_0", "u/r").quant, "Q8_0");
  // "Q4_K" alone is a prefix of both; with no whole-label match the plainest containing name wins.
  assert.equal(selectGguf(listing, "Q4_K", "u/r").model.length, 1);
});

test("default is Q4_K_M, else a sensible single file", () => {
  assert.equal(
    selectGguf(files("a-Q8_0.gguf", "a-Q4_K_M.gguf", "a-F16.gguf"), undefined, "u/r").quant,
    "Q4_K_M",
  );
  assert.equal(selectGguf(files("a-F16.gguf", "a-Q8_0.gguf"), undefined, "u/r").quant, "Q8_0");
  assert.deepEqual(selectGguf(files("only.gguf"), undefined, "u/r").model, files("only.gguf"));
});

test("shards are one model in shard order; incomplete sets are refused", () => {
  const listing = files("Q8_0/x-Q8_0-00002-of-00002.gguf", "Q8_0/x-Q8_0-00001-of-00002.gguf", "x-F16.gguf");
  const s = selectGguf(listing, "Q8_0", "u/r");
  assert.deepEqual(
    s.model.map((f) => f.path),
    ["Q8_0/x-Q8_0-00001-of-00002.gguf", "Q8_0/x-Q8_0-00002-of-00002.gguf"],
  );
  assert.throws(
    () => selectGguf(files("x-Q8_0-00001-of-00003.gguf", "x-Q8_0-00003-of-00003.gguf"), "Q8_0", "u/r"),
    (e: HuggingFaceError) => e.code === "incomplete_shards" && /1, 3 of 3/.test(e.message),
  );
});

test("mmproj comes along and is never picked as the model", () => {
  const listing = files("mmproj-model-f32.gguf", "mmproj-model-f16.gguf", "g-Q4_K_M.gguf", "g-Q8_0.gguf");
  const s = selectGguf(listing, undefined, "u/r");
  assert.deepEqual(s.model, files("g-Q4_K_M.gguf"));
  assert.deepEqual(s.mmproj, { path: "mmproj-model-f16.gguf" });
  assert.throws(
    () => selectGguf(listing, "F16", "u/r"),
    (e: HuggingFaceError) => e.code === "quant_not_found" && /available: Q4_K_M, Q8_0/.test(e.message),
  );
});

test("a repository without GGUF files is a clear error", () => {
  assert.throws(
    () => selectGguf(files("model.safetensors", "mmproj-f16.gguf"), undefined, "u/r"),
    (e: HuggingFaceError) => e.code === "no_gguf" && /"u\/r" has no GGUF/.test(e.message),
  );
});

test("a quant named only by its folder still selects the shards", () => {
  const listing = files("BF16/m-00001-of-00002.gguf", "BF16/m-00002-of-00002.gguf", "m-Q4_K_M.gguf");
  assert.deepEqual(
    selectGguf(listing, "bf16", "u/r").model.map((f) => f.path),
    ["BF16/m-00001-of-00002.gguf", "BF16/m-00002-of-00002.gguf"],
  );
});
