import { test } from "node:test";
import assert from "node:assert/strict";
import { progressLine, progressRenderer, formatSize } from "./progress-bar.ts";
import type { PullProgress } from "../runner/models.ts";

const p = (
  phase: PullProgress["phase"],
  completedBytes: number,
  extra: Partial<PullProgress> = {},
): PullProgress => ({
  ref: "ai/x:1",
  phase,
  completedBytes,
  totalBytes: 1000,
  bytesPerSecond: 100,
  etaSeconds: (1000 - completedBytes) / 100,
  ...extra,
});

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return {
    writes,
    stream: {
      isTTY,
      columns: 120,
      write: (s: string) => (writes.push(s), true),
    } as unknown as NodeJS.WriteStream,
  };
}

test("a progress line shows bar, percent, bytes, speed and ETA", () => {
  assert.equal(
    progressLine(p("downloading", 500), 10),
    "ai/x:1 █████░░░░░  50% 500 B/1.0 KB 100 B/s ETA 00:05",
  );
  assert.equal(progressLine(p("error", 0, { message: "boom" })), "ai/x:1: error (boom)");
  assert.equal(formatSize(1_500_000_000), "1.5 GB");
});

test("a TTY gets one redrawn line; other output gets plain lines, throttled", () => {
  const tty = fakeStream(true);
  const r = progressRenderer(tty.stream);
  r.update(p("downloading", 100));
  r.update(p("downloading", 200));
  r.update(p("done", 1000));
  assert.ok(tty.writes.slice(0, 2).every((w) => w.startsWith("\r\u001b[2K")));
  assert.equal(tty.writes.at(-1), "\n");

  let now = 0;
  const plain = fakeStream(false);
  const q = progressRenderer(plain.stream, () => now);
  q.update(p("resolving", 0));
  now = 2500;
  q.update(p("downloading", 100));
  now = 2600;
  q.update(p("downloading", 200)); // within 2 s of the last line: skipped
  q.update(p("downloading", 1000)); // complete: always shown
  q.update(p("done", 1000));
  assert.equal(plain.writes.length, 4);
  assert.ok(plain.writes.every((w) => !w.includes("\u001b") && w.endsWith("\n")));
});
