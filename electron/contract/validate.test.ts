import { test } from "node:test";
import assert from "node:assert/strict";
import { v, ValidationError, MAX_JSON_DEPTH } from "./validate.ts";

test("unions take the first form that fits and say what each expected", () => {
  const stop = v.union(v.string(), v.array(v.string(), { max: 4 }));
  assert.equal(stop("a", "stop"), "a");
  assert.deepEqual(stop(["a", "b"], "stop"), ["a", "b"]);
  assert.throws(
    () => stop(3, "stop"),
    /stop matches none of its forms: stop must be a string.*; or stop must be an array/,
  );
});

test("discriminated unions pick the validator by one key", () => {
  const part = v.discriminated("type", {
    text: v.object({ type: v.literal("text"), text: v.string() }),
    image_url: v.object({ type: v.literal("image_url"), image_url: v.object({ url: v.string() }) }),
  });
  assert.deepEqual(part({ type: "text", text: "hi", extra: 1 }), { type: "text", text: "hi" });
  assert.throws(
    () => part({ type: "audio" }, "part"),
    /part\.type must be one of "text", "image_url" \(got "audio"\)/,
  );
  assert.throws(() => part({ type: "text" }, "part"), /part\.text must be a string/);
  assert.throws(() => part({ type: "toString" }), /must be one of/, "inherited names are not cases");
  const result = v.discriminated("ok", {
    true: v.object({ ok: v.literal(true) }),
    false: v.object({ ok: v.literal(false) }),
  });
  assert.deepEqual(result({ ok: false }), { ok: false });
});

test("refine, map, records and objects that refuse unknown keys", () => {
  const even = v.refine(v.number({ integer: true }), (n) => (n % 2 === 0 ? null : "must be even"));
  assert.equal(even(4), 4);
  assert.throws(() => even(3, "n"), /n must be even/);
  assert.equal(v.map(v.string({ trim: true, min: 1 }), (s) => s.toLowerCase())("  ABC "), "abc");
  assert.throws(() => v.string({ trim: true, min: 1 })("   ", "name"), /name must be at least 1 characters/);
  assert.throws(
    () => v.record(v.number(), { maxKeys: 1 })({ a: 1, b: 2 }, "r"),
    /r must have at most 1 keys/,
  );
  const strict = v.object({ a: v.optional(v.number()) }, { unknownKeys: "reject", keyName: "setting" });
  assert.throws(() => strict({ b: 1 }, "settings"), /settings: unknown setting "b" \(known: a\)/);
  assert.deepEqual(
    v.object({ a: v.optional(v.number()) })({ b: 1 }),
    {},
    "unknown keys are dropped by default",
  );
});

test("json: any JSON value nested at most the limit, checked without recursion", () => {
  const json = v.json();
  assert.deepEqual(json({ a: [1, "x", null, { b: true }] }), { a: [1, "x", null, { b: true }] });
  let nested: unknown = 1;
  for (let i = 0; i < MAX_JSON_DEPTH; i++) nested = [nested];
  assert.doesNotThrow(() => json(nested), "the limit itself is allowed");
  assert.throws(
    () => json([nested], "schema"),
    new RegExp(`schema is nested more than ${MAX_JSON_DEPTH} levels deep`),
  );
  // Far deeper than the call stack allows: an error, not a RangeError from the stack.
  const depth = 1_000_000;
  const hostile = JSON.parse("[".repeat(depth) + "]".repeat(depth)) as unknown;
  assert.throws(() => json(hostile), ValidationError);
  const deepObject = JSON.parse('{"a":'.repeat(depth) + "1" + "}".repeat(depth)) as unknown;
  assert.throws(() => v.object({ a: v.json() })(deepObject), ValidationError);
  assert.throws(() => json(Number.NaN), /must be JSON/);
  assert.throws(() => json(() => 1), /must be JSON/);
});
