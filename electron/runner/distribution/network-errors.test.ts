import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { describeNetworkError, humanErrorMessage, isRetryable } from "./network-errors.ts";
import { nodeFetch } from "./transfer/node-fetch.ts";
import { ReferenceError } from "../artifact/reference.ts";

/** A loopback port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test("a refused connection, from fetch and from the downloader, names the address and no errno", async () => {
  const port = await closedPort();
  for (const get of [fetch, nodeFetch]) {
    const error = await get(`http://127.0.0.1:${port}/v2/`).catch((e: unknown) => e);
    const said = describeNetworkError(error);
    assert.equal(said, `Nothing answers at 127.0.0.1:${port} — is it running, and is the address right?`);
    assert.ok(isRetryable(error));
  }
});

test("a host that does not resolve: Can't reach <host> — check the connection", async () => {
  const error = await fetch("http://no-such-host.invalid/").catch((e: unknown) => e);
  assert.equal(describeNetworkError(error), "Can't reach no-such-host.invalid — check the connection");
});

test("an errno folded into another message is still found; other errors keep their own message", () => {
  const folded = new Error(
    "cannot reach https://huggingface.co (Error: getaddrinfo ENOTFOUND huggingface.co)",
  );
  assert.equal(humanErrorMessage(folded), "Can't reach huggingface.co — check the connection");
  const wrapped = new Error("x: pull failed", {
    cause: new Error("connect ECONNREFUSED 10.0.0.1:5000"),
  });
  assert.match(humanErrorMessage(wrapped), /^Nothing answers at 10\.0\.0\.1:5000/);
  assert.equal(humanErrorMessage(new Error("manifest unknown")), "manifest unknown");
  assert.equal(describeNetworkError("just a string"), null);
  const blocked = new TypeError("fetch failed", { cause: new Error("bad port") });
  assert.equal(humanErrorMessage(blocked), "fetch failed: bad port", "fetch's reason is not lost");
});

test("malformed references and missing models are not worth retrying; server trouble is", () => {
  assert.equal(isRetryable(new ReferenceError("a b", "it contains whitespace")), false);
  assert.equal(isRetryable(Object.assign(new Error("gone"), { code: "repo_not_found" })), false);
  assert.equal(isRetryable(Object.assign(new Error("HTTP 503"), { code: "registry_error" })), true);
});

test("a cause chain that loops ends", () => {
  const a = new Error("a") as Error & { cause?: unknown };
  a.cause = a;
  assert.equal(describeNetworkError(a), null);
});
