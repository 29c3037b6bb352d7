import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startHfServer, type HfServer } from "../../../../testkit/hf-server.ts";
import { buildHfFixtureRepos, TINY_REPO, SHARDED_REPO } from "../../../../testkit/hf-repos.ts";
import { searchHuggingFace } from "./search.ts";

let dir: string;
let hf: HfServer;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "hangar-hf-search-"));
  hf = await startHfServer({ repos: await buildHfFixtureRepos(dir), token: "tok" });
});
after(async () => {
  await hf?.close();
  await rm(dir, { recursive: true, force: true });
});

test("finds GGUF repositories, most downloaded first, with hf.co references", async () => {
  const r = await searchHuggingFace("LLAMA", { endpoint: hf.endpoint, token: "tok", limit: 5 });
  assert.equal(r.error, null);
  assert.deepEqual(
    r.models.map((m) => m.ref),
    [`hf.co/${TINY_REPO}`, `hf.co/${SHARDED_REPO}`],
  );
  assert.equal(r.models[0]!.downloads, 5000);
  const sent = hf.requests.at(-1)!;
  assert.match(sent.url, /filter=gguf/);
  assert.match(sent.url, /limit=5/);
});

test("an endpoint that refuses or does not answer gives no models and a reason", async () => {
  const refused = await searchHuggingFace("llama", { endpoint: hf.endpoint });
  assert.deepEqual(refused.models, []);
  assert.match(refused.error ?? "", /HTTP 401/);

  // A port nobody listens on: grab one, then close it.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const down = await searchHuggingFace("llama", { endpoint: `http://127.0.0.1:${port}` });
  assert.deepEqual(down.models, []);
  assert.equal(down.error, `Nothing answers at 127.0.0.1:${port} — is it running, and is the address right?`);
});

test("a reference or Hub address searches for its repository", async () => {
  for (const q of [`hf.co/${TINY_REPO}:Q8_0`, `https://huggingface.co/${TINY_REPO}`]) {
    const r = await searchHuggingFace(q, { endpoint: hf.endpoint, token: "tok" });
    assert.deepEqual(
      r.models.map((m) => m.id),
      [TINY_REPO],
      q,
    );
  }
});
