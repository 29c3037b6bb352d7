// A streaming client that never reads is dropped once it leaves a bounded amount unread, instead of
// growing the server's memory by everything sent to it; a client that reads gets everything.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { writeOrDrop } from "./stream-write.ts";
import { startTestRunner, type TestRunner } from "../../../testkit/runner.ts";

let t: TestRunner;
before(async () => {
  t = await startTestRunner({}, { model: false });
});
after(() => t?.close());

/** Opens a streamed GET and never reads its body. */
function openUnread(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      res.pause();
      resolve(res);
    });
    req.on("error", reject);
    req.end();
  });
}

test("a log follower that never reads is dropped; the runner keeps logging", async () => {
  await openUnread(`${t.url}/hangar/logs?follow=1`);
  // The server ends the request when it drops the client (a paused client sees no close): its row is logged.
  const droppedRow = () =>
    t.runner.logs.entries({ sources: ["http"] }).find((e) => e.request?.path === "/hangar/logs");
  const line = "x".repeat(64 * 1024);
  // Up to 128 MB of log lines, far beyond what socket buffers and the bound hold together.
  for (let i = 0; i < 2000 && !droppedRow(); i++) {
    t.runner.logs.info("runner", line);
    if (i % 16 === 0) await new Promise((r) => setImmediate(r));
  }
  assert.equal(droppedRow()?.request?.status, 499, "the follower was dropped");
  const health = await fetch(`${t.url}/health`);
  assert.equal(health.status, 200);
});

test("writeOrDrop bounds what one response keeps queued", async () => {
  let queuedMax = 0;
  let sent = 0;
  let onStop = () => {};
  const server: Server = createServer((req, res) => {
    res.writeHead(200);
    const chunk = "y".repeat(64 * 1024);
    const limit = 1 << 20;
    const total = 64 << 20;
    const pump = () => {
      while (sent < total) {
        if (!writeOrDrop(res, chunk, limit)) return onStop();
        sent += chunk.length;
        queuedMax = Math.max(queuedMax, res.writableLength);
        if (res.writableLength > 256 * 1024) return void setImmediate(pump);
      }
      res.end();
    };
    pump();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    let stopped!: () => void;
    const done = new Promise<void>((r) => (stopped = r));
    onStop = stopped;
    await openUnread(`${base}/unread`);
    await done;
    assert.ok(sent < 64 << 20, "the writer stopped before sending everything");
    assert.ok(queuedMax <= (1 << 20) + 64 * 1024, `queued at most the bound (${queuedMax})`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
