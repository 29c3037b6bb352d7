import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { AccessPolicy } from "./security.ts";
import { startTestRunner, type TestRunner } from "../../../testkit/runner.ts";

/** fetch() cannot set Host or Origin freely; node:http can. */
function raw(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        method: options.method ?? "GET",
        path: options.path,
        headers: {
          ...(options.body !== undefined
            ? { "content-length": String(Buffer.byteLength(options.body)) }
            : {}),
          ...options.headers,
        },
      },
      (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

let t: TestRunner;
before(async () => {
  t = await startTestRunner({ corsOrigins: ["https://*.example.com", "https://app.test"] }, { model: false });
});
after(() => t?.close());

test("origin matching: loopback on any port, exact and wildcard entries, * only when set", () => {
  const p = new AccessPolicy({
    listenHost: "127.0.0.1",
    corsOrigins: ["https://*.example.com"],
    apiKeys: [],
    allowedHosts: [],
  });
  assert.equal(p.originVerdict("http://localhost:5173", "127.0.0.1:1"), "trusted");
  assert.equal(p.originVerdict("http://127.0.0.1:9", "127.0.0.1:1"), "trusted");
  assert.equal(p.originVerdict("http://[::1]:3000", "127.0.0.1:1"), "trusted");
  assert.equal(p.originVerdict("https://chat.example.com", "127.0.0.1:1"), "trusted");
  assert.equal(
    p.originVerdict("https://example.com", "127.0.0.1:1"),
    "denied",
    "the wildcard needs a subdomain",
  );
  assert.equal(p.originVerdict("http://chat.example.com", "127.0.0.1:1"), "denied", "scheme must match");
  assert.equal(p.originVerdict("https://evil.com", "127.0.0.1:1"), "denied");
  assert.equal(p.originVerdict("https://chat.example.com.evil.com", "127.0.0.1:1"), "denied");
  assert.equal(p.originVerdict("null", "127.0.0.1:1"), "denied");
  assert.equal(p.originVerdict(undefined, "127.0.0.1:1"), "none");
  const star = new AccessPolicy({
    listenHost: "127.0.0.1",
    corsOrigins: ["*"],
    apiKeys: [],
    allowedHosts: [],
  });
  assert.equal(star.originVerdict("https://evil.com", "127.0.0.1:1"), "wildcard");
});

test("a preflight from an allowed origin gets CORS headers, and the private-network header when asked", async () => {
  const asked = await raw(t.url, {
    method: "OPTIONS",
    path: "/v1/chat/completions",
    headers: {
      origin: "https://chat.example.com",
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type",
      "access-control-request-private-network": "true",
    },
  });
  assert.equal(asked.status, 204);
  assert.equal(asked.headers["access-control-allow-origin"], "https://chat.example.com");
  assert.match(String(asked.headers["access-control-allow-methods"]), /POST/);
  assert.equal(asked.headers["access-control-allow-headers"], "authorization, content-type");
  assert.equal(asked.headers["access-control-allow-private-network"], "true");

  const plain = await raw(t.url, {
    method: "OPTIONS",
    path: "/v1/models",
    headers: { origin: "http://localhost:5173", "access-control-request-method": "GET" },
  });
  assert.equal(plain.status, 204);
  assert.equal(plain.headers["access-control-allow-origin"], "http://localhost:5173");
  assert.equal(plain.headers["access-control-allow-private-network"], undefined);
});

test("a disallowed origin gets 403 on preflight and on requests, with no CORS headers", async () => {
  for (const pna of [false, true]) {
    const res = await raw(t.url, {
      method: "OPTIONS",
      path: "/v1/chat/completions",
      headers: {
        origin: "https://evil.com",
        "access-control-request-method": "POST",
        ...(pna ? { "access-control-request-private-network": "true" } : {}),
      },
    });
    assert.equal(res.status, 403);
    assert.equal(res.headers["access-control-allow-origin"], undefined);
    assert.equal(res.headers["access-control-allow-private-network"], undefined);
  }
  const get = await raw(t.url, { path: "/api/tags", headers: { origin: "https://evil.com" } });
  assert.equal(get.status, 403);
  assert.match(
    JSON.parse(get.body).error,
    /Origin https:\/\/evil\.com is not allowed/,
    "Ollama's error shape on /api",
  );
  const pull = await raw(t.url, {
    method: "POST",
    path: "/api/pull",
    headers: { origin: "https://evil.com", "content-type": "text/plain" },
    body: JSON.stringify({ model: "x" }),
  });
  assert.equal(pull.status, 403);
});

test("allowed origins get CORS headers on the actual response", async () => {
  const res = await raw(t.url, { path: "/v1/models", headers: { origin: "https://app.test" } });
  assert.equal(res.status, 200);
  assert.equal(res.headers["access-control-allow-origin"], "https://app.test");
  assert.deepEqual(JSON.parse(res.body), { object: "list", data: [] });
});

test("a DNS-rebinding Host is refused with a message", async () => {
  const res = await raw(t.url, { path: "/v1/models", headers: { host: "attacker.example:11987" } });
  assert.equal(res.status, 403);
  assert.match(JSON.parse(res.body).error.message, /Host "attacker\.example:11987" is not allowed/);
  const ok = await raw(t.url, { path: "/health", headers: { host: "localhost:1234" } });
  assert.equal(ok.status, 200);
});

test("bad JSON, empty and oversized bodies, unknown routes and invalid parameters get 4xx with a message", async () => {
  const post = (path: string, body: string) =>
    fetch(`${t.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body });
  let res = await post("/v1/chat/completions", "{not json");
  assert.equal(res.status, 400);
  let body = (await res.json()) as { error: { message: string; type: string; code: string } };
  assert.match(body.error.message, /not valid JSON/);
  assert.equal(body.error.type, "invalid_request_error");

  res = await post("/v1/chat/completions", JSON.stringify({ model: "m", messages: [], temperature: 1 }));
  assert.equal(res.status, 400);
  assert.match(((await res.json()) as typeof body).error.message, /at least one message/);

  res = await post(
    "/v1/chat/completions",
    JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }], temperature: 9 }),
  );
  assert.equal(res.status, 400);
  body = (await res.json()) as typeof body;
  assert.match(body.error.message, /temperature must be <= 2/);

  res = await post("/v1/embeddings", JSON.stringify({ model: "m", input: 42 }));
  assert.equal(res.status, 400);

  res = await post("/api/chat", JSON.stringify({ messages: [] }));
  assert.equal(res.status, 400);
  assert.deepEqual(
    await res.json(),
    { error: "model is required" },
    "Ollama routes answer Ollama-shaped errors",
  );

  res = await post("/v1/completions", JSON.stringify({ model: "m", prompt: "x".repeat(9 * 1024 * 1024) }));
  assert.equal(res.status, 413);
  assert.match(((await res.json()) as typeof body).error.message, /limit/);

  res = await fetch(`${t.url}/v1/nothing-here`);
  assert.equal(res.status, 404);
  res = await fetch(`${t.url}/v1/chat/completions`);
  assert.equal(res.status, 405);
});

test("an unknown model is a 404 naming it", async () => {
  const res = await fetch(`${t.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "nobody/nothing:1", messages: [{ role: "user", content: "hi" }] }),
  });
  assert.equal(res.status, 404);
  const body = (await res.json()) as { error: { message: string; code: string } };
  assert.match(body.error.message, /nobody\/nothing:1/);
  assert.equal(body.error.code, "model_not_found");
});

test("off loopback: refuses to start without a key; with one, requests need it", async () => {
  const keyless = await startTestRunner({ host: "0.0.0.0" }, { model: false, start: false });
  try {
    await assert.rejects(keyless.runner.start(), /refusing to listen on 0\.0\.0\.0 without an API key/);
    assert.equal(keyless.runner.status().state, "stopped");
  } finally {
    await keyless.close();
  }
  const keyed = await startTestRunner({ host: "0.0.0.0", apiKeys: ["secret-key-123"] }, { model: false });
  try {
    const port = new URL(keyed.url).port;
    let res = await fetch(`http://127.0.0.1:${port}/v1/models`);
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, "invalid_api_key");
    res = await fetch(`http://127.0.0.1:${port}/v1/models`, {
      headers: { authorization: "Bearer wrong-key-1234" },
    });
    assert.equal(res.status, 401);
    res = await fetch(`http://127.0.0.1:${port}/v1/models`, {
      headers: { authorization: "Bearer secret-key-123" },
    });
    assert.equal(res.status, 200);
    res = await fetch(`http://127.0.0.1:${port}/health`);
    assert.equal(res.status, 200, "health checks need no key");
  } finally {
    await keyed.close();
  }
});

test("with * configured, model management is still refused to unlisted origins", async () => {
  const star = await startTestRunner({ corsOrigins: ["*"] }, { model: false });
  try {
    let res = await raw(star.url, { path: "/v1/models", headers: { origin: "https://anywhere.net" } });
    assert.equal(res.status, 200);
    assert.equal(res.headers["access-control-allow-origin"], "https://anywhere.net");
    res = await raw(star.url, {
      method: "DELETE",
      path: "/api/delete",
      headers: { origin: "https://anywhere.net", "content-type": "application/json" },
      body: JSON.stringify({ model: "x" }),
    });
    assert.equal(res.status, 403, res.body);
    res = await raw(star.url, {
      method: "PUT",
      path: "/hangar/settings",
      headers: { origin: "https://anywhere.net" },
      body: "{}",
    });
    assert.equal(res.status, 403);
  } finally {
    await star.close();
  }
});

test("stop closes the API and start brings it back; status follows", async () => {
  const states: string[] = [];
  const off = t.runner.onStatusChange((s) => states.push(s.state));
  await t.runner.stop();
  assert.equal(t.runner.status().state, "stopped");
  assert.equal(t.runner.status().url, null);
  await assert.rejects(fetch(`${t.url}/health`));
  const status = await t.runner.start();
  off();
  assert.equal(status.state, "running");
  t.url = status.url!;
  assert.equal((await fetch(`${t.url}/health`)).status, 200);
  assert.deepEqual(states, ["stopping", "stopped", "starting", "running"]);
});

test("metrics and request log rows", async () => {
  await fetch(`${t.url}/v1/models`);
  const text = await (await fetch(`${t.url}/metrics`)).text();
  assert.match(text, /hangar_http_requests_total\{route="\/v1\/models",method="GET",status="200"\} \d+/);
  assert.match(text, /# TYPE hangar_time_to_first_token_seconds histogram/);
  assert.match(text, /hangar_loaded_models 0/);
  assert.match(text, /process_resident_memory_bytes \d+/);
  const row = t.runner.logs.entries({ sources: ["http"] }).find((e) => e.request?.path === "/v1/models");
  assert.ok(row?.request);
  assert.equal(row.request.status, 200);
  assert.equal(row.request.method, "GET");
  assert.ok(row.request.latencyMs >= 0);
});

test("settings over HTTP: validated, written to settings.json, keys masked", async () => {
  const put = (body: unknown, key?: string) =>
    fetch(`${t.url}/hangar/settings`, {
      method: "PUT",
      headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(body),
    });
  let res = await put({ keepAliveSeconds: 60, apiKeys: ["a-long-secret-key"] });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { keepAliveSeconds: number; apiKeys: string[] };
  assert.equal(body.keepAliveSeconds, 60);
  assert.deepEqual(body.apiKeys, ["…-key"]);
  const file = JSON.parse(await readFile(join(t.home, "settings.json"), "utf8")) as Record<string, unknown>;
  assert.equal(file.keepAliveSeconds, 60);
  // Keys apply at once: from now on the API wants one.
  assert.equal((await put({ port: "eighty" })).status, 401);
  res = await put({ port: "eighty" }, "a-long-secret-key");
  assert.equal(res.status, 400);
  assert.match(
    ((await res.json()) as { error: { message: string } }).error.message,
    /port must be an integer/,
  );
  await t.runner.updateSettings({ apiKeys: [] });
});

test("logs follow: the snapshot, then live entries, as NDJSON", async () => {
  t.runner.logs.info("runner", "marker before follow");
  const controller = new AbortController();
  const res = await fetch(`${t.url}/hangar/logs?follow=1&source=runner`, { signal: controller.signal });
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  t.runner.logs.info("runner", "marker after follow");
  while (!text.includes("marker after follow")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
  }
  controller.abort();
  const messages = text
    .trim()
    .split("\n")
    .map((l) => (JSON.parse(l) as { message: string; source: string }).message);
  assert.ok(messages.indexOf("marker before follow") < messages.indexOf("marker after follow"));
  assert.ok(messages.indexOf("marker before follow") >= 0);
});
