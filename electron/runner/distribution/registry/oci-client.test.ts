import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { Server } from "node:http";
import { OciClient, parseChallenge, registryScheme } from "./oci-client.ts";
import { sha256Digest } from "../../store/blob-store.ts";

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `127.0.0.1:${(server.address() as { port: number }).port}`;
}

test("plain HTTP only for loopback and HANGAR_INSECURE_REGISTRIES", () => {
  assert.equal(registryScheme("127.0.0.1:5000"), "http");
  assert.equal(registryScheme("localhost"), "http");
  assert.equal(registryScheme("[::1]:5000"), "http");
  assert.equal(registryScheme("registry.example.com", {}), "https");
  assert.equal(
    registryScheme("registry.lan:5000", { HANGAR_INSECURE_REGISTRIES: "other.lan, registry.lan:5000" }),
    "http",
  );
  assert.equal(registryScheme("registry.lan", { HANGAR_INSECURE_REGISTRIES: "registry.lan" }), "http");
  assert.equal(registryScheme("registry.lan:5000", { HANGAR_INSECURE_REGISTRIES: "registry.lan" }), "http");
  assert.equal(new OciClient({ registry: "docker.io", env: {} }).baseUrl, "https://registry-1.docker.io");
});

test("challenges parse with quoted commas", () => {
  assert.deepEqual(
    parseChallenge(
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:ai/x:pull,push"',
    ),
    {
      scheme: "bearer",
      params: {
        realm: "https://auth.docker.io/token",
        service: "registry.docker.io",
        scope: "repository:ai/x:pull,push",
      },
    },
  );
  assert.deepEqual(parseChallenge('Basic realm="x"'), { scheme: "basic", params: { realm: "x" } });
});

test("a redirect to another host (a CDN) is followed without the Authorization header", async () => {
  const blob = Buffer.from("weights");
  const digest = sha256Digest(blob);
  const seenByCdn: (string | undefined)[] = [];
  const cdn = createServer((req, res) => {
    seenByCdn.push(req.headers.authorization);
    res.writeHead(200, { "content-length": String(blob.length) }).end(blob);
  });
  const cdnHost = await listen(cdn);
  const registry = createServer((req, res) => {
    if (req.headers.authorization !== "Basic " + Buffer.from("u:p").toString("base64")) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="test"' }).end();
      return;
    }
    res.writeHead(307, { location: `http://${cdnHost}/signed/${digest}?sig=abc` }).end();
  });
  const host = await listen(registry);
  try {
    const client = new OciClient({ registry: host, credentials: { username: "u", password: "p" } });
    const res = await client.getBlob("team/m", digest);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), blob);
    assert.deepEqual(seenByCdn, [undefined]);
    const anonymous = new OciClient({ registry: host, credentials: null });
    await assert.rejects(
      anonymous.getBlob("team/m", digest),
      /authentication required; run: hangar login 127\.0\.0\.1:/,
    );
  } finally {
    registry.close();
    cdn.close();
  }
});
