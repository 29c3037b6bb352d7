// Store tests run under node:test; the no-Node rule is for code that ships to the browser.
/* eslint-disable no-restricted-imports */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { LogLine } from "../../../../electron/contract/logs.ts";
import { createLogStore, formatLine } from "./log-store.ts";
import { manualFrames, streamBridge } from "../../shared/test-support/stream-bridge.ts";

let seq = 0;
const line = (patch: Partial<LogLine> = {}): LogLine => ({
  seq: ++seq,
  time: 1_700_000_000_000 + seq,
  level: "info",
  source: "runner",
  message: `line ${seq}`,
  ...patch,
});

function setup(capacity?: number) {
  const frames = manualFrames();
  const { bridge, streams } = streamBridge({});
  const store = createLogStore(bridge, { scheduleFrame: frames.schedule, ...(capacity ? { capacity } : {}) });
  store.getState().connect();
  return { store, frames, tail: streams[0]!, streams };
}

test("the snapshot then live batches fill the view, one update per frame", () => {
  const { store, frames, tail } = setup();
  assert.equal(tail.name, "logs.tail");
  tail.emit({ kind: "snapshot", data: { lines: [line(), line()] } });
  tail.emit({ kind: "delta", data: { lines: [line()] } });
  tail.emit({ kind: "delta", data: { lines: [line(), line()] } });
  assert.equal(store.getState().visible.length, 0);
  frames.run();
  assert.equal(store.getState().visible.length, 5);
  assert.equal(frames.scheduled, 1);
});

test("pausing freezes the view, counts what arrives, and drops nothing", () => {
  const { store, frames, tail } = setup();
  tail.emit({ kind: "snapshot", data: { lines: [line()] } });
  frames.run();
  store.getState().pause();
  for (let i = 0; i < 7; i++) tail.emit({ kind: "delta", data: { lines: [line()] } });
  frames.run();
  assert.equal(store.getState().visible.length, 1, "frozen while paused");
  assert.equal(store.getState().arrivedWhilePaused, 7);
  assert.equal(store.getState().buffer.length, 8);
  store.getState().resume();
  assert.equal(store.getState().visible.length, 8);
  assert.equal(store.getState().arrivedWhilePaused, 0);
  assert.equal(store.getState().follow, true);
});

test("filters by level, source, model and text narrow the view; clearing them restores it", () => {
  const { store, frames, tail } = setup();
  tail.emit({
    kind: "snapshot",
    data: {
      lines: [
        line({ level: "error", source: "engine", message: "llama_model_load: failed", model: "ai/a" }),
        line({ level: "info", source: "engine", message: "llama_context: n_ctx = 512", model: "ai/b" }),
        line({
          level: "info",
          source: "http",
          message: "request",
          request: { id: "r", method: "POST", path: "/v1/chat/completions", status: 200, latencyMs: 12 },
        }),
        line({ level: "debug", source: "runner", message: "tick" }),
      ],
    },
  });
  frames.run();
  const s = () => store.getState();
  assert.equal(s().visible.length, 4);
  assert.deepEqual(s().models, ["ai/a", "ai/b"]);
  s().toggleLevel("debug");
  assert.equal(s().visible.length, 3);
  s().toggleSource("http");
  assert.equal(s().visible.length, 2);
  s().setFilters({ model: "ai/b" });
  assert.deepEqual(
    s().visible.map((l) => l.message),
    ["llama_context: n_ctx = 512"],
  );
  s().setFilters({ model: null, search: "FAILED" });
  assert.deepEqual(
    s().visible.map((l) => l.message),
    ["llama_model_load: failed"],
  );
  s().setFilters({ search: "chat/completions" });
  assert.equal(s().visible.length, 0, "http rows are filtered out by source");
  s().toggleSource("http");
  assert.equal(s().visible[0]?.request?.path, "/v1/chat/completions");
  // New lines respect the filters too.
  tail.emit({
    kind: "delta",
    data: { lines: [line({ message: "no match" }), line({ message: "chat/completions again" })] },
  });
  frames.run();
  assert.equal(s().visible.length, 2);
});

test("the buffer is capped: oldest lines go, with a count", () => {
  const { store, frames, tail } = setup(1000);
  tail.emit({ kind: "snapshot", data: { lines: [] } });
  for (let b = 0; b < 25; b++)
    tail.emit({ kind: "delta", data: { lines: Array.from({ length: 100 }, () => line()) } });
  frames.run();
  const s = store.getState();
  assert.equal(s.buffer.length, 1000);
  assert.equal(s.visible.length, 1000);
  assert.equal(s.dropped, 1500);
  assert.equal(s.visible[0]!.seq, s.buffer[0]!.seq);
  assert.equal(s.visible.at(-1)!.seq, seq);
});

test("clear empties the view; export writes the visible lines as text", () => {
  const { store, frames, tail } = setup();
  tail.emit({
    kind: "snapshot",
    data: { lines: [line({ message: "alpha" }), line({ level: "warn", message: "beta" })] },
  });
  frames.run();
  store.getState().toggleLevel("info");
  const text = store.getState().exportText();
  assert.equal(text.trim().split("\n").length, 1);
  assert.match(text, /WARN runner beta/);
  assert.equal(formatLine(line({ message: "x", model: "m" })).includes("[m]"), true);
  store.getState().clear();
  assert.equal(store.getState().visible.length, 0);
  assert.equal(store.getState().exportText(), "");
});

test("cleared lines stay cleared when the viewer reconnects and gets the snapshot again", () => {
  const { store, frames, tail, streams } = setup();
  const old = [line({ message: "old 1" }), line({ message: "old 2" })];
  tail.emit({ kind: "snapshot", data: { lines: old } });
  frames.run();
  store.getState().clear();
  store.getState().disconnect();
  assert.equal(tail.closed, true);
  store.getState().connect();
  const fresh = line({ message: "new" });
  streams[1]!.emit({ kind: "snapshot", data: { lines: [...old, fresh] } });
  frames.run();
  assert.deepEqual(
    store.getState().visible.map((l) => l.message),
    ["new"],
  );
});
