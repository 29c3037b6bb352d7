import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startHfServer, type HfServer } from "../../../testkit/hf-server.ts";
import { buildHfFixtureRepos, TINY_REPO } from "../../../testkit/hf-repos.ts";
import { searchCatalog, search, curatedModels } from "./search.ts";

let dir: string;
let hf: HfServer;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "hangar-catalog-search-"));
  const repos = await buildHfFixtureRepos(dir);
  // A Hub repo the curated catalog already lists must not be shown twice.
  repos.push({
    id: "bartowski/Llama-3.2-1B-Instruct-GGUF",
    downloads: 10,
    files: [{ path: "x-Q4_K_M.gguf", content: "x" }],
  });
  hf = await startHfServer({ repos });
});
after(async () => {
  await hf?.close();
  await rm(dir, { recursive: true, force: true });
});

test("curated search matches every word, names before descriptions", () => {
  const ids = (q: string) => searchCatalog(q).map((e) => e.id);
  assert.deepEqual(ids("gemma 1b"), ["gemma3-1b"]);
  assert.ok(ids("qwen3").length >= 3);
  assert.ok(ids("embedding").includes("nomic-embed-text-v1.5"));
  assert.deepEqual(ids("no such model anywhere"), []);
  assert.equal(ids("").length, curatedModels().length);
  const smol = searchCatalog("smollm2 135m")[0]!;
  assert.equal(smol.origin, "curated");
  assert.deepEqual(smol.variants[0]!.refs, [
    "ai/smollm2:135M-Q4_K_M",
    "hf.co/bartowski/SmolLM2-135M-Instruct-GGUF:Q4_K_M",
  ]);
});

test("combined search: curated first, then Hugging Face hits not already listed", async () => {
  const r = await search("llama", { endpoint: hf.endpoint });
  assert.equal(r.searchError, null);
  const curated = r.entries.filter((e) => e.origin === "curated").map((e) => e.id);
  const hub = r.entries.filter((e) => e.origin === "huggingface").map((e) => e.id);
  assert.ok(curated.includes("llama3.2-1b"));
  assert.ok(hub.includes(`hf.co/${TINY_REPO}`));
  assert.ok(!hub.some((id) => id.toLowerCase().includes("llama-3.2-1b-instruct")), hub.join(","));
  assert.ok(r.entries.findIndex((e) => e.origin === "huggingface") > curated.length - 1);
});

test("combined search still answers with the catalog when the Hub is down", async () => {
  const r = await search("gemma", { endpoint: "http://127.0.0.1:9", timeoutMs: 2000 });
  assert.ok(r.entries.length >= 3);
  assert.ok(r.entries.every((e) => e.origin === "curated"));
  // Port 9 is one fetch refuses to call: its reason comes through, said once.
  assert.equal(r.searchError, "fetch failed: bad port");
});
