/** The dispatcher in-process: validation, error mapping, and the stream rules every transport relies on. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { RunnerStatus } from "../../contract/runner.ts";
import { Dispatcher, type AnyStreamEvent, type StreamSink } from "./dispatcher.ts";

const status = (busy: number): RunnerStatus => ({
  state: "running",
  version: "0",
  url: null,
  busy,
  loadedModels: [],
  backend: null,
  settingsProblems: [],
});

test("calls: params validated by the contract, thrown errors become typed results", async () => {
  let seen: unknown = null;
  const d = new Dispatcher({
    methods: {
      "models.load": (params) => {
        seen = params;
        return { ref: params.ref };
      },
      "models.unload": () => {
        throw Object.assign(new Error("gone"), { code: "not_found" });
      },
      "models.delete": () => {
        throw new Error("disk on fire");
      },
    },
    streams: {},
  });
  assert.deepEqual(await d.call("models.load", { ref: "a:1", extra: "dropped" }), {
    ok: true,
    value: { ref: "a:1" },
  });
  assert.deepEqual(seen, { ref: "a:1" }, "unknown keys do not reach the handler");
  const bad = await d.call("models.load", {});
  assert.equal(bad.ok ? "" : bad.error.code, "invalid_request");
  assert.deepEqual(await d.call("models.unload", { ref: "x" }), {
    ok: false,
    error: { code: "not_found", message: "gone" },
  });
  assert.deepEqual(await d.call("models.delete", { ref: "x" }), {
    ok: false,
    error: { code: "internal", message: "disk on fire" },
  });
  const missing = await d.call("models.tag", { source: "a", target: "b" });
  assert.equal(missing.ok ? "" : missing.error.code, "unavailable");
  const unknown = await d.call("toString", {});
  assert.equal(unknown.ok ? "" : unknown.error.code, "not_found");
});

test("streams: snapshot first, numbered deltas, nothing after unsubscribe or end", () => {
  let sink: StreamSink<"runner.status"> | null = null;
  let stopped = 0;
  const d = new Dispatcher({
    methods: {},
    streams: {
      "runner.status": (_p, s) => {
        s.delta(status(99)); // before the snapshot: dropped
        s.snapshot(status(0));
        sink = s;
        return () => stopped++;
      },
    },
  });
  const events: AnyStreamEvent[] = [];
  const unsubscribe = d.subscribe("runner.status", {}, (e) => events.push(e));
  sink!.delta(status(1));
  sink!.delta(status(2));
  unsubscribe();
  sink!.delta(status(3));
  unsubscribe();
  assert.deepEqual(
    events.map((e) => [
      e.seq,
      e.kind,
      e.kind === "snapshot" || e.kind === "delta" ? (e.data as RunnerStatus).busy : null,
    ]),
    [
      [0, "snapshot", 0],
      [1, "delta", 1],
      [2, "delta", 2],
    ],
  );
  assert.equal(stopped, 1, "the handler is stopped exactly once");

  const ended: AnyStreamEvent[] = [];
  d.subscribe("runner.status", {}, (e) => ended.push(e));
  sink!.end();
  sink!.delta(status(4));
  assert.deepEqual(
    ended.map((e) => e.kind),
    ["snapshot", "end"],
  );
});

test("streams: unknown, invalid or failing subscriptions get one error event", () => {
  const d = new Dispatcher({
    methods: {},
    streams: {
      downloads: () => {
        throw Object.assign(new Error("no store"), { code: "unavailable" });
      },
    },
  });
  const collect = (stream: string, params: unknown) => {
    const events: AnyStreamEvent[] = [];
    d.subscribe(stream, params, (e) => events.push(e));
    return events.map((e) => (e.kind === "error" ? `${e.seq}:${e.error.code}` : e.kind));
  };
  assert.deepEqual(collect("nope", {}), ["0:not_found"]);
  assert.deepEqual(collect("runner.status", 5), ["0:unavailable"], "no handler registered");
  assert.deepEqual(collect("downloads", "x"), ["0:invalid_request"]);
  assert.deepEqual(collect("downloads", {}), ["0:unavailable"]);
});
