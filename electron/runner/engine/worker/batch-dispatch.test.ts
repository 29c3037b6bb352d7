import { test } from "node:test";
import assert from "node:assert/strict";
import type { LlamaContext } from "node-llama-cpp";
import { installDecodeBarrier } from "./batch-dispatch.ts";

/** Stands in for node-llama-cpp's context: records when each sequence's decode request enters its queue. */
function fakeContext() {
  const entered: number[] = [];
  const context = {
    _unusedSequenceIds: [] as number[],
    _nextGeneratedSequenceId: 0,
    async _decodeTokens(request: { sequenceId: number }) {
      entered.push(request.sequenceId);
      return `decoded ${request.sequenceId}`;
    },
    _popSequenceId(): number | null {
      if (this._unusedSequenceIds.length > 0) return this._unusedSequenceIds.shift()!;
      return this._nextGeneratedSequenceId < 4 ? this._nextGeneratedSequenceId++ : null;
    },
  };
  return {
    context: context as unknown as LlamaContext,
    fake: context,
    entered,
    decode: (sequenceId: number) =>
      (context._decodeTokens as (r: { sequenceId: number }) => Promise<string>)({ sequenceId }),
  };
}

test("decode requests wait until every generating sequence has one, then enter together", async () => {
  const { context, entered, decode } = fakeContext();
  assert.equal(
    installDecodeBarrier(context, () => 3),
    true,
  );
  const a = decode(0);
  const b = decode(1);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(entered, [], "two of three generating sequences: they wait");
  const c = decode(2);
  assert.deepEqual(await Promise.all([a, b, c]), ["decoded 0", "decoded 1", "decoded 2"]);
  assert.deepEqual(entered, [0, 1, 2]);
});

// llama.cpp decodes consecutive increasing sequence ids in one pass, any other order in several.
test("the requests enter in sequence-id order, whatever order they came in", async () => {
  const { context, entered, decode } = fakeContext();
  installDecodeBarrier(context, () => 4);
  await Promise.all([decode(3), decode(1), decode(0), decode(2)]);
  assert.deepEqual(entered, [0, 1, 2, 3]);
});

test("a new sequence takes the lowest free id, so the sequences generating together stay consecutive", () => {
  const { context, fake } = fakeContext();
  installDecodeBarrier(context, () => 1);
  const ids = [fake._popSequenceId(), fake._popSequenceId(), fake._popSequenceId(), fake._popSequenceId()];
  assert.deepEqual(ids, [0, 1, 2, 3]);
  fake._unusedSequenceIds.push(2, 0, 3);
  assert.deepEqual([fake._popSequenceId(), fake._popSequenceId()], [0, 2]);
});

test("a sequence that missed a batch waits for the one in flight and joins the next", async () => {
  const entered: number[][] = [];
  let batch: number[] = [];
  let finishBatch: (() => void) | undefined;
  const context = {
    _decodeTokens(request: { sequenceId: number }) {
      batch.push(request.sequenceId);
      if (batch.length === 1) queueMicrotask(() => entered.push(batch));
      return new Promise<void>((done) => {
        const previous = finishBatch;
        finishBatch = () => {
          previous?.();
          done();
        };
      });
    },
  };
  const decode = (sequenceId: number) =>
    (context._decodeTokens as (r: { sequenceId: number }) => Promise<void>)({ sequenceId });
  installDecodeBarrier(context as unknown as LlamaContext, () => 3);
  const first = Promise.all([decode(0), decode(1)]);
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(entered, [[0, 1]], "sequence 2 was late: the timer let 0 and 1 go");
  batch = [];
  const late = decode(2);
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(entered, [[0, 1]], "sequence 2 waits for the batch in flight, not a batch of its own");
  finishBatch!();
  finishBatch = undefined;
  await first;
  const next = Promise.all([decode(1), decode(0)]);
  await new Promise((r) => setTimeout(r, 1));
  assert.deepEqual(
    entered,
    [
      [0, 1],
      [0, 1, 2],
    ],
    "all three decode together, in sequence-id order",
  );
  finishBatch!();
  await Promise.all([late, next]);
});

// A barrier that never opened would hang: the timeout turns that into a failure.
test(
  "a sequence alone, or one whose peers are slow, waits a few milliseconds at most",
  { timeout: 5000 },
  async () => {
    const { context, entered, decode } = fakeContext();
    let generating = 1;
    installDecodeBarrier(context, () => generating);
    assert.equal(await decode(0), "decoded 0");
    generating = 4;
    assert.equal(await decode(1), "decoded 1", "released by the timer");
    assert.deepEqual(entered, [0, 1]);
  },
);

test("a context without the internal method keeps node-llama-cpp's own batching", () => {
  assert.equal(
    installDecodeBarrier({} as LlamaContext, () => 4),
    false,
  );
});
