/* eslint-disable no-restricted-imports -- the protocol test joins both ends: the runner's dispatcher and
   connection on one side, the renderer's WsBridge on the other. */
/**
 * The bridge protocol over an in-memory transport pair instead of a WebSocket: the renderer's real
 * client (WsBridge) against the runner's real connection and dispatcher with the contract's tables, so
 * the wire format, validation, stream numbering, unsubscribe and reconnect are checked without
 * sockets, ports or timing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { RunnerStatus } from "../../../../electron/contract/runner.ts";
import type { StreamEvent } from "../../../../electron/contract/api.ts";
import { Dispatcher, type StreamSink } from "../../../../electron/runner/bridge/dispatcher.ts";
import {
  serveBridgeConnection,
  type BridgeConnection,
} from "../../../../electron/runner/bridge/bridge-connection.ts";
import { BRIDGE_PROTOCOL } from "../../../../electron/contract/bridge-wire.ts";
import { WsBridge } from "./ws-bridge.ts";

/** Lets queued deliveries run (each hop of the pair is a microtask, as a socket's is an event). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A pair of in-memory ends: `Socket` is what the client constructs in place of the browser's
 * WebSocket; each instance is served by a fresh connection on the dispatcher. `raw` sees every frame.
 */
function memoryPair(dispatcher: Dispatcher) {
  const sent: string[] = [];
  const received: string[] = [];
  const sockets: MemorySocket[] = [];
  class MemorySocket {
    readyState = 0;
    onopen: (() => void) | null = null;
    onmessage: ((message: { data: string }) => void) | null = null;
    onclose: (() => void) | null = null;
    readonly connection: BridgeConnection;
    constructor(
      readonly url: string,
      readonly protocols: string[],
    ) {
      sockets.push(this);
      this.connection = serveBridgeConnection(dispatcher, (text) => {
        received.push(text);
        queueMicrotask(() => {
          if (this.readyState === 1) this.onmessage?.({ data: text });
        });
      });
      queueMicrotask(() => {
        this.readyState = 1;
        this.onopen?.();
      });
    }
    send(text: string) {
      sent.push(text);
      queueMicrotask(() => this.connection.receive(text));
    }
    /** Either end closing: the server stops this connection's streams, the client hears onclose. */
    close() {
      if (this.readyState === 3) return;
      this.readyState = 3;
      this.connection.close();
      queueMicrotask(() => this.onclose?.());
    }
  }
  return { Socket: MemorySocket as unknown as typeof WebSocket, sockets, sent, received };
}

const status = (busy: number): RunnerStatus => ({
  state: "running",
  version: "0",
  url: null,
  busy,
  loadedModels: [],
  backend: null,
  settingsProblems: [],
});

function runnerLike() {
  let sink: StreamSink<"runner.status"> | null = null;
  let subscribed = 0;
  let stopped = 0;
  const dispatcher = new Dispatcher({
    methods: {
      "models.load": ({ ref }) => ({ ref: ref.toUpperCase() }),
      "models.delete": () => {
        throw Object.assign(new Error("no such model"), { code: "not_found" });
      },
    },
    streams: {
      "runner.status": (_params, s) => {
        subscribed++;
        sink = s;
        s.snapshot(status(0));
        return () => stopped++;
      },
    },
  });
  return {
    dispatcher,
    push: (busy: number) => sink?.delta(status(busy)),
    counts: () => ({ subscribed, stopped }),
  };
}

test("calls cross the pair with the contract's validation and typed errors", async () => {
  const runner = runnerLike();
  const pair = memoryPair(runner.dispatcher);
  const bridge = new WsBridge({ url: "memory://bridge", WebSocketImpl: pair.Socket });
  try {
    assert.deepEqual(await bridge.call("models.load", { ref: "a:1" }), { ok: true, value: { ref: "A:1" } });
    const invalid = await bridge.call("models.load", { ref: "" } as never);
    assert.equal(invalid.ok ? "" : invalid.error.code, "invalid_request");
    assert.deepEqual(await bridge.call("models.delete", { ref: "x" }), {
      ok: false,
      error: { code: "not_found", message: "no such model" },
    });
    const missing = await bridge.call("models.tag", { source: "a", target: "b" });
    assert.equal(missing.ok ? "" : missing.error.code, "unavailable");
    assert.deepEqual(pair.sockets[0]!.protocols, [BRIDGE_PROTOCOL]);
    assert.deepEqual(JSON.parse(pair.sent[0]!), { id: 1, method: "models.load", params: { ref: "a:1" } });
  } finally {
    bridge.close();
  }
});

test("a stream: snapshot, numbered deltas, and unsubscribe stops it on the runner", async () => {
  const runner = runnerLike();
  const pair = memoryPair(runner.dispatcher);
  const bridge = new WsBridge({ url: "memory://bridge", WebSocketImpl: pair.Socket });
  const events: StreamEvent<"runner.status">[] = [];
  try {
    const off = bridge.subscribe("runner.status", {}, (e) => events.push(e));
    await settle();
    runner.push(1);
    runner.push(2);
    await settle();
    assert.deepEqual(
      events.map((e) => [e.seq, e.kind, e.kind === "delta" || e.kind === "snapshot" ? e.data.busy : null]),
      [
        [0, "snapshot", 0],
        [1, "delta", 1],
        [2, "delta", 2],
      ],
    );
    off();
    await settle();
    assert.deepEqual(runner.counts(), { subscribed: 1, stopped: 1 });
    runner.push(3);
    await settle();
    assert.equal(events.length, 3, "nothing arrives after unsubscribe");
  } finally {
    bridge.close();
  }
});

test("a dropped connection fails calls in flight, and the reconnect starts streams over", async () => {
  const runner = runnerLike();
  const pair = memoryPair(runner.dispatcher);
  const states: string[] = [];
  const bridge = new WsBridge({
    url: "memory://bridge",
    WebSocketImpl: pair.Socket,
    onConnection: (s) => states.push(s),
  });
  const kinds: string[] = [];
  try {
    bridge.subscribe("runner.status", {}, (e) => kinds.push(e.kind));
    await settle();
    // A call whose answer never comes back: the runner side goes away first.
    const pending = bridge.call("models.load", { ref: "a:1" });
    pair.sockets[0]!.close();
    const lost = await pending;
    assert.equal(lost.ok ? "" : lost.error.code, "unavailable");
    assert.equal(runner.counts().stopped, 1, "closing the connection ends its streams");
    // The client reconnects on its own (after its first backoff) and subscribes again.
    for (let i = 0; i < 200 && pair.sockets.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    await settle();
    assert.equal(pair.sockets.length, 2, "a second connection");
    assert.deepEqual(kinds, ["snapshot", "snapshot"]);
    assert.deepEqual(states, ["connecting", "open", "closed", "connecting", "open"]);
    assert.deepEqual(await bridge.call("models.load", { ref: "b:2" }), { ok: true, value: { ref: "B:2" } });
  } finally {
    bridge.close();
  }
});

test("the runner end answers frames it cannot read and stays usable; hostile nesting included", async () => {
  const runner = runnerLike();
  const replies: unknown[] = [];
  const connection = serveBridgeConnection(runner.dispatcher, (text) => replies.push(JSON.parse(text)));
  const deep = "[".repeat(100_000) + "]".repeat(100_000);
  for (const frame of [
    "not json",
    "[]",
    '{"id":{},"method":"models.load"}',
    '{"sub":1}',
    `{"id":9,"method":"models.load","params":${deep}}`,
  ])
    connection.receive(frame);
  connection.receive(null);
  assert.deepEqual(
    replies,
    Array.from({ length: 6 }, () => ({ error: { code: "invalid_request", message: "unreadable frame" } })),
  );
  connection.receive(JSON.stringify({ id: "x", method: "models.load", params: { ref: "c:3" } }));
  await settle();
  assert.deepEqual(replies.at(-1), { id: "x", result: { ok: true, value: { ref: "C:3" } } });
  // A second subscription under a live sub id is refused without touching the first.
  connection.receive(JSON.stringify({ sub: 5, stream: "runner.status" }));
  connection.receive(JSON.stringify({ sub: 5, stream: "runner.status" }));
  assert.deepEqual(replies.at(-1), {
    sub: 5,
    event: { seq: 0, kind: "error", error: { code: "conflict", message: "sub 5 is in use" } },
  });
  connection.close();
  assert.deepEqual(runner.counts(), { subscribed: 1, stopped: 1 });
});

test("the client ignores frames that are not answers or events of its own", async () => {
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const dispatcher = new Dispatcher({
    methods: { "models.unload": async ({ ref }) => (await gate, { ref }) },
    streams: {},
  });
  const pair = memoryPair(dispatcher);
  const bridge = new WsBridge({ url: "memory://bridge", WebSocketImpl: pair.Socket });
  try {
    let settled = false;
    const answer = bridge.call("models.unload", { ref: "a:1" }).finally(() => (settled = true));
    await settle();
    const socket = pair.sockets[0]!;
    for (const data of [
      "nonsense",
      '{"id":1}',
      '{"id":1,"result":{"ok":"yes"}}',
      '{"id":1,"result":{"ok":false}}',
      '{"sub":1,"event":{"kind":"x"}}',
    ])
      socket.onmessage?.({ data } as MessageEvent);
    await settle();
    assert.equal(settled, false, "no malformed frame answered the call");
    release();
    assert.deepEqual(await answer, { ok: true, value: { ref: "a:1" } });
  } finally {
    bridge.close();
  }
});

test("a dropped connection ends a chat turn as unavailable and never opens it again", async () => {
  let turns = 0;
  let stopped = 0;
  const dispatcher = new Dispatcher({
    methods: {},
    streams: {
      "chat.turn": (_params, sink) => {
        turns++;
        sink.snapshot({ conversation: {}, replyId: "r1" } as never);
        sink.delta({ type: "text", text: "partial" });
        return () => stopped++;
      },
    },
  });
  const pair = memoryPair(dispatcher);
  const bridge = new WsBridge({ url: "memory://bridge", WebSocketImpl: pair.Socket });
  const events: StreamEvent<"chat.turn">[] = [];
  try {
    bridge.subscribe("chat.turn", { conversationId: "c1", action: "send", content: "hi" }, (e) =>
      events.push(e),
    );
    await settle();
    pair.sockets[0]!.close();
    await settle();
    assert.equal(stopped, 1, "the runner side stops the turn with its connection");
    for (let i = 0; i < 200 && pair.sockets.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    await settle();
    assert.equal(pair.sockets.length, 2, "the bridge reconnected");
    assert.equal(turns, 1, "the turn was not sent again");
    assert.deepEqual(
      events.map((e) => [e.seq, e.kind, e.kind === "error" ? e.error.code : null]),
      [
        [0, "snapshot", null],
        [1, "delta", null],
        [2, "error", "unavailable"],
      ],
    );
  } finally {
    bridge.close();
  }
});

test("a chat turn asked for while disconnected is sent once the connection opens", async () => {
  let turns = 0;
  const dispatcher = new Dispatcher({
    methods: {},
    streams: { "chat.turn": () => (turns++, () => {}) },
  });
  const pair = memoryPair(dispatcher);
  const bridge = new WsBridge({ url: "memory://bridge", WebSocketImpl: pair.Socket });
  try {
    // The socket is still connecting: this is the turn's first sending, not a replay.
    bridge.subscribe("chat.turn", { conversationId: "c1", action: "regenerate" }, () => {});
    await settle();
    assert.equal(turns, 1);
  } finally {
    bridge.close();
  }
});
