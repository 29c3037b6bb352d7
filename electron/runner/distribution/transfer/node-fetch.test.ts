import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { Server } from "node:http";
import { nodeFetch } from "./node-fetch.ts";

const body = Buffer.alloc(3 * 1024 * 1024 + 17, 7);

async function withServer(fn: (url: string) => Promise<void>) {
  const server: Server = createServer((req, res) => {
    if (req.url === "/redirect") {
      res.writeHead(307, { location: "/blob" }).end();
    } else if (req.url === "/cut") {
      res.writeHead(200, { "content-length": String(body.length) });
      res.write(body.subarray(0, 1000), () => res.destroy());
    } else {
      res.writeHead(200, {
        "content-length": String(body.length),
        etag: '"abc"',
        "x-range": req.headers.range ?? "",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    await fn(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

test("the body arrives whole, in chunks of about a mebibyte, with status and headers", () =>
  withServer(async (url) => {
    const res = await nodeFetch(`${url}/blob`, { headers: { range: "bytes=0-" } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("etag"), '"abc"');
    assert.equal(res.headers.get("x-range"), "bytes=0-", "request headers are sent");
    const chunks: Uint8Array[] = [];
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
    assert.deepEqual(Buffer.concat(chunks), body);
    assert.ok(chunks.length <= 5, `${chunks.length} chunks`);
  }));

test("redirects are returned, not followed; HEAD has no body", () =>
  withServer(async (url) => {
    const res = await nodeFetch(`${url}/redirect`, { redirect: "manual" });
    assert.equal(res.status, 307);
    assert.equal(res.headers.get("location"), "/blob");
    const head = await nodeFetch(`${url}/blob`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.body, null);
  }));

test("a connection cut mid-body fails the body stream; an aborted request rejects", () =>
  withServer(async (url) => {
    const res = await nodeFetch(`${url}/cut`);
    await assert.rejects(async () => {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) void chunk;
    });
    await assert.rejects(nodeFetch(`${url}/blob`, { signal: AbortSignal.abort(new Error("stop")) }), /stop/);
    await assert.rejects(nodeFetch("http://127.0.0.1:1/"), /fetch failed/);
  }));
