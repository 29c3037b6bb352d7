import assert from "node:assert/strict";
import { test } from "node:test";
import { workerThreads } from "./threads.ts";

test("the default is llama.cpp's physical performance-core count on each topology", () => {
  // 2 cores without SMT (a small VM): both cores, not half of them.
  assert.equal(workerThreads(undefined, { cpuMathCores: 2, logicalCores: 2 }), 2);
  // 8 cores with SMT (16 logical): the physical cores.
  assert.equal(workerThreads(undefined, { cpuMathCores: 8, logicalCores: 16 }), 8);
  // Apple M2: 4 performance + 4 efficiency cores, no SMT: the performance cores.
  assert.equal(workerThreads(undefined, { cpuMathCores: 4, logicalCores: 8 }), 4);
  // Intel hybrid, 6 P-cores with SMT + 8 E-cores (20 logical): the P-cores.
  assert.equal(workerThreads(undefined, { cpuMathCores: 6, logicalCores: 20 }), 6);
  // One core.
  assert.equal(workerThreads(undefined, { cpuMathCores: 1, logicalCores: 1 }), 1);
});

test("when llama.cpp cannot count, small machines use every core and large ones half", () => {
  assert.equal(workerThreads(undefined, { cpuMathCores: 0, logicalCores: 2 }), 2);
  assert.equal(workerThreads(undefined, { cpuMathCores: 0, logicalCores: 32 }), 16);
  assert.equal(workerThreads(undefined, { cpuMathCores: 0, logicalCores: 0 }), 1);
});

test("a thread setting overrides the count", () => {
  assert.equal(workerThreads(3, { cpuMathCores: 2, logicalCores: 2 }), 3);
  assert.equal(workerThreads(1, { cpuMathCores: 8, logicalCores: 16 }), 1);
});
