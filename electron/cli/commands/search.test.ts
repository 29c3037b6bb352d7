import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startHfServer, type HfServer } from "../../../testkit/hf-server.ts";
import { buildHfFixtureRepos, TINY_REPO } from "../../../testkit/hf-repos.ts";
import type { CatalogSearchResult } from "../../contract/catalog.ts";

const cli = fileURLToPath(new URL("../index.ts", import.meta.url));
let dir: string;
let hf: HfServer;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "hangar-cli-search-"));
  hf = await startHfServer({ repos: await buildHfFixtureRepos(dir), token: "cli-token" });
});
after(async () => {
  await hf?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs the real `hangar` entry point (through tsx) with the fixture as HF_ENDPOINT. */
function hangar(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", cli, ...args],
      { env: { ...process.env, HANGAR_HOME: dir, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test("hangar search --json: curated entries, then Hugging Face hits, token from HF_TOKEN", async () => {
  const r = await hangar(["search", "llama", "--json"], { HF_ENDPOINT: hf.endpoint, HF_TOKEN: "cli-token" });
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as CatalogSearchResult;
  assert.equal(result.searchError, null);
  assert.ok(result.entries.some((e) => e.id === "llama3.2-3b" && e.origin === "curated"));
  assert.ok(result.entries.some((e) => e.id === `hf.co/${TINY_REPO}` && e.origin === "huggingface"));
  assert.equal(hf.requests.at(-1)?.authorization, "Bearer cli-token");
});

test("hangar search prints a table and says so when Hugging Face refuses", async () => {
  const r = await hangar(["search", "smollm2", "135m"], { HF_ENDPOINT: hf.endpoint, HF_TOKEN: "" });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^REFERENCE\s+MODEL\s+PARAMS\s+QUANT\s+SIZE/);
  assert.match(r.stdout, /ai\/smollm2:135M-Q4_K_M\s+SmolLM2 135M Instruct\s+135M\s+Q4_K_M\s+98\.9 MiB/);
  assert.match(r.stderr, /HTTP 401.*curated catalog only/);
});

test("hangar search without a query or with a bad limit is a usage error", async () => {
  assert.equal((await hangar(["search"], {})).code, 2);
  const bad = await hangar(["search", "x", "--limit", "0"], {});
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--limit must be an integer/);
});
