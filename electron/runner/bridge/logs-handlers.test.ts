// logs.tail through the real dispatcher over a real LogHub: held lines first, then batched live lines.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Dispatcher, type AnyStreamEvent } from "./dispatcher.ts";
import { logsHandlers } from "./logs-handlers.ts";
import { LogHub } from "../logs/log-hub.ts";

type Lines = { lines: { message: string; level: string }[] };

test("snapshot of held lines, then live lines in batches, filtered by level and source", async () => {
  const hub = new LogHub({ capacity: 100 });
  hub.info("runner", "before 1");
  hub.debug("runner", "before debug");
  hub.warn("engine", "before warn");
  const dispatcher = new Dispatcher(logsHandlers(hub));
  const events: AnyStreamEvent[] = [];
  const stop = dispatcher.subscribe("logs.tail", { levels: ["info", "warn"], sources: ["runner"] }, (e) =>
    events.push(e),
  );
  assert.equal(events[0]?.kind, "snapshot");
  assert.deepEqual(
    (events[0] as { data: Lines }).data.lines.map((l) => l.message),
    ["before 1"],
  );
  for (let i = 0; i < 5; i++) hub.info("runner", `live ${i}`);
  hub.debug("runner", "live debug");
  hub.info("engine", "other source");
  assert.equal(events.length, 1, "live lines wait for the batch");
  for (const deadline = Date.now() + 5000; events.length < 2 && Date.now() < deadline;)
    await new Promise((r) => setTimeout(r, 10));
  const deltas = events.slice(1).filter((e) => e.kind === "delta") as unknown as { data: Lines }[];
  assert.equal(deltas.length, 1, "one batch");
  assert.deepEqual(
    deltas[0]!.data.lines.map((l) => l.message),
    ["live 0", "live 1", "live 2", "live 3", "live 4"],
  );
  stop();
  hub.info("runner", "after stop");
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(events.length, 2, "nothing after unsubscribing");
});

test("bad filters are refused", () => {
  const dispatcher = new Dispatcher(logsHandlers(new LogHub()));
  const events: AnyStreamEvent[] = [];
  dispatcher.subscribe("logs.tail", { levels: ["loud"] }, (e) => events.push(e));
  assert.equal(events[0]?.kind, "error");
  assert.equal((events[0] as { error: { code: string } }).error.code, "invalid_request");
});
