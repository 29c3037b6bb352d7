import { test } from "node:test";
import assert from "node:assert/strict";
import { ProgressMeter } from "./progress-meter.ts";

test("speed over the window and ETA", () => {
  let now = 0;
  const m = new ProgressMeter(1000, () => now);
  assert.equal(m.eta(), null);
  for (let i = 1; i <= 10; i++) {
    now = i * 1000;
    m.add(50);
  }
  assert.equal(m.completed, 500);
  // The window keeps the last 5 s: 250 bytes over 5 s.
  assert.equal(m.speed(), 50);
  assert.equal(m.eta(), 10);
});

test("many small adds within a sample period keep one sample", () => {
  let now = 0;
  const m = new ProgressMeter(1e9, () => now);
  for (let i = 0; i < 100_000; i++) {
    now = i / 100; // 100k adds over 1 s
    m.add(10);
  }
  assert.ok((m as unknown as { samples: unknown[] }).samples.length <= 12);
  assert.equal(m.completed, 1_000_000);
});
