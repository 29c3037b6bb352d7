import { test } from "node:test";
import assert from "node:assert/strict";
import type { LlamaContext } from "node-llama-cpp";
import { installDecodeBarrier } from "./batch-dispatch.ts";

/** Stands in for node-llama-cpp's context: records when each decode request enters its queue. */
function fakeContext() {
  const entered: string[] = [];
  const context = {
    async _decodeTokens(name: string) {
      entered.push(name);
      return `decoded ${name}`;
    },
  };
  return {
    context: context as unknown as LlamaContext,
    entered,
    decode: (name: string) => (context._decodeTokens as (n: string) => Promise<string>)(name),
  };
}

test("decode requests wait until every generating sequence has one, then enter together", async () => {
  const { context, entered, decode } = fakeContext();
  assert.equal(
    installDecodeBarrier(context, () => 3),
    true,
  );
  const a = decode("a");
  const b = decode("b");
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(entered, [], "two of three generating sequences: they wait");
  const c = decode("c");
  assert.deepEqual(await Promise.all([a, b, c]), ["decoded a", "decoded b", "decoded c"]);
  assert.deepEqual(entered, ["a", "b", "c"]);
});

// A barrier that never opened would hang: the timeout turns that into a failure.
test(
  "a sequence alone, or one whose peers are slow, waits a few milliseconds at most",
  { timeout: 5000 },
  async () => {
    const { context, entered, decode } = fakeContext();
    let generating = 1;
    installDecodeBarrier(context, () => generating);
    assert.equal(await decode("alone"), "decoded alone");
    generating = 4;
    assert.equal(await decode("waits"), "decoded waits", "released by the timer");
    assert.deepEqual(entered, ["alone", "waits"]);
  },
);

test("a context without the internal method keeps node-llama-cpp's own batching", () => {
  assert.equal(
    installDecodeBarrier({} as LlamaContext, () => 4),
    false,
  );
});
