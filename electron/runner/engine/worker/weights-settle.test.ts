import assert from "node:assert/strict";
import { afterEach, beforeEach, mock, test } from "node:test";
import { WeightsSettler } from "./weights-settle.ts";

// The idle wait runs on mocked timers: `sleep(ms)` moves time on, then lets promises settle.
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
async function sleep(ms: number): Promise<void> {
  for (let i = 0; i < 3; i++) await flush();
  mock.timers.tick(ms);
  for (let i = 0; i < 3; i++) await flush();
}
beforeEach(() => mock.timers.enable({ apis: ["setTimeout"] }));
afterEach(() => mock.timers.reset());

const unexpected = (error: unknown) => assert.fail(`unexpected failure: ${String(error)}`);

/** A settle that waits for `release()` (or its signal) and counts how it ended. */
function controlledSettle() {
  const calls: AbortSignal[] = [];
  let release: (done: boolean) => void = () => undefined;
  const settle = (signal: AbortSignal) =>
    new Promise<boolean>((resolve, reject) => {
      calls.push(signal);
      release = resolve;
      signal.addEventListener("abort", () => reject(new Error("stopped")), { once: true });
    });
  return { calls, settle, release: (done = true) => release(done) };
}

test("settles once the model has been idle, and only once", async () => {
  const c = controlledSettle();
  const settler = new WeightsSettler({ settle: c.settle, onFailure: unexpected });
  settler.start(10);
  await sleep(40);
  assert.equal(c.calls.length, 1);
  c.release();
  await sleep(0);
  assert.equal(settler.settled, true);
  settler.busy();
  settler.done();
  await sleep(40);
  assert.equal(c.calls.length, 1, "a settled model is not read again");
});

test("nothing starts while a request runs; the idle wait starts over when it ends", async () => {
  const c = controlledSettle();
  const settler = new WeightsSettler({ settle: c.settle, onFailure: unexpected });
  settler.start(30);
  settler.busy();
  await sleep(60);
  assert.equal(c.calls.length, 0);
  settler.done();
  await sleep(10);
  settler.busy();
  settler.done();
  await sleep(15);
  assert.equal(c.calls.length, 0, "a request 10 ms into the wait restarts it");
  await sleep(40);
  assert.equal(c.calls.length, 1);
  settler.stop();
});

test("a request stops the copy in progress; the next idle moment starts it again", async () => {
  const c = controlledSettle();
  const settler = new WeightsSettler({ settle: c.settle, onFailure: unexpected });
  settler.start(5);
  await sleep(20);
  assert.equal(c.calls.length, 1);
  settler.busy();
  assert.equal(c.calls[0]!.aborted, true, "the request aborts the copy at once");
  await sleep(20);
  assert.equal(c.calls.length, 1, "not while the request runs");
  settler.done();
  await sleep(20);
  assert.equal(c.calls.length, 2);
  c.release();
  await sleep(0);
  assert.equal(settler.settled, true);
});

test("a settle that declines (returns false) is tried at the next idle moment", async () => {
  const c = controlledSettle();
  const settler = new WeightsSettler({ settle: c.settle, onFailure: unexpected });
  settler.start(5);
  await sleep(20);
  c.release(false);
  await sleep(20);
  assert.equal(c.calls.length, 2);
  assert.equal(settler.settled, false);
  settler.stop();
});

test("a failure is reported once and not retried", async () => {
  const failures: unknown[] = [];
  let calls = 0;
  const settler = new WeightsSettler({
    settle: async () => {
      calls++;
      throw new Error("out of memory");
    },
    onFailure: (error) => failures.push(error),
  });
  settler.start(5);
  await sleep(20);
  settler.busy();
  settler.done();
  await sleep(20);
  assert.equal(calls, 1);
  assert.equal(failures.length, 1);
  assert.match(String(failures[0]), /out of memory/);
});

test("stop() ends a copy in progress and nothing starts after it", async () => {
  const c = controlledSettle();
  const settler = new WeightsSettler({ settle: c.settle, onFailure: unexpected });
  settler.start(5);
  await sleep(20);
  settler.stop();
  assert.equal(c.calls[0]!.aborted, true);
  settler.done();
  await sleep(20);
  assert.equal(c.calls.length, 1);
});

test("before start() (a model not loaded with useMmap auto) nothing ever starts", async () => {
  const c = controlledSettle();
  const settler = new WeightsSettler({ settle: c.settle, onFailure: unexpected });
  settler.busy();
  settler.done();
  await sleep(20);
  assert.equal(c.calls.length, 0);
});
