import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LogHub } from "./log-hub.ts";
import type { LogEntry } from "./types.ts";

test("the ring keeps the newest entries with increasing sequence numbers", () => {
  const hub = new LogHub({ capacity: 3 });
  for (let i = 1; i <= 5; i++) hub.info("runner", `line ${i}`);
  assert.deepEqual(
    hub.entries().map((e) => [e.seq, e.message]),
    [
      [3, "line 3"],
      [4, "line 4"],
      [5, "line 5"],
    ],
  );
  assert.deepEqual(
    hub.entries({ sinceSeq: 4 }).map((e) => e.seq),
    [5],
  );
});

test("subscribe: snapshot, then live entries in order, filtered; unsubscribe stops them", () => {
  const hub = new LogHub();
  hub.info("runner", "before");
  hub.debug("engine", "noise");
  const live: LogEntry[] = [];
  const sub = hub.subscribe((e) => live.push(e), { level: "info" });
  assert.deepEqual(
    sub.snapshot.map((e) => e.message),
    ["before"],
  );
  hub.warn("http", "after 1");
  hub.debug("http", "filtered out");
  hub.error("engine", "after 2", { code: 1 });
  sub.unsubscribe();
  hub.info("runner", "after unsubscribe");
  assert.deepEqual(
    live.map((e) => e.message),
    ["after 1", "after 2"],
  );
  assert.ok(live[0]!.seq < live[1]!.seq);
  assert.deepEqual(live[1]!.fields, { code: 1 });
  assert.deepEqual(
    hub.entries({ sources: ["http"], text: "AFTER" }).map((e) => e.message),
    ["after 1"],
  );
});

test("entries below the hub's level are dropped", () => {
  const hub = new LogHub({ level: "info" });
  hub.debug("engine", "detail");
  hub.info("engine", "kept");
  hub.warn("runner", "kept too");
  assert.deepEqual(
    hub.entries().map((e) => [e.seq, e.message]),
    [
      [1, "kept"],
      [2, "kept too"],
    ],
  );
});

test("a rotating JSON-lines file keeps N old files", async () => {
  const dir = await mkdtemp(join(tmpdir(), "hangar-logs-"));
  try {
    const hub = new LogHub({ file: { dir, maxBytes: 400, keep: 2 } });
    for (let i = 0; i < 40; i++) hub.info("runner", `entry number ${i} with some padding text`);
    const files = (await readdir(dir)).sort();
    assert.deepEqual(files, ["hangar.1.log", "hangar.2.log", "hangar.log"]);
    const current = (await readFile(join(dir, "hangar.log"), "utf8")).trim().split("\n");
    const last = JSON.parse(current[current.length - 1]!) as LogEntry;
    assert.equal(last.message, "entry number 39 with some padding text");
    assert.equal(last.seq, 40);
    for (const f of files) assert.ok((await readFile(join(dir, f))).length <= 400);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
