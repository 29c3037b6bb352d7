import { test } from "node:test";
import assert from "node:assert/strict";
import { getLlama, LlamaJsonSchemaGrammar } from "node-llama-cpp";
import { narrowJsonNumberGrammar } from "./json-number-grammar.ts";

test("JSON grammars write integers without exponent, and fractions with at most a two-digit one", async () => {
  assert.equal(await narrowJsonNumberGrammar(), true, "node-llama-cpp's number rule is the one this narrows");
  const llama = await getLlama({ gpu: false, build: "never" });
  const grammar = new LlamaJsonSchemaGrammar(llama, {
    type: "object",
    properties: { n: { type: "integer" }, x: { type: "number" } },
  } as const);
  const rules = grammar.grammar.split("\n");
  const integer = rules.find((r) => r.startsWith("integer-number-rule ::="));
  assert.ok(integer, rules.join("\n"));
  assert.doesNotMatch(integer.split("::=")[1]!, /[eE]/);
  const fractional = rules.find((r) => r.includes('"."') && r.includes("::="));
  assert.match(fractional!, /\[eE\] \[-\+\]\? \[1-9\] \[0-9\]\?\)\?$/);
});
