import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { startHfServer, type HfServer } from "../../../../testkit/hf-server.ts";
import { buildHfFixtureRepos, TINY_REPO, SHARDED_REPO, NO_GGUF_REPO } from "../../../../testkit/hf-repos.ts";
import { resolveHuggingFace } from "./resolve.ts";
import { hfClient, hfFetch, toEndpointUrl } from "./client.ts";
import { HuggingFaceError } from "./errors.ts";
import { readHuggingFaceGgufSummary, estimateHuggingFaceMemory } from "./remote-gguf.ts";
import { readGgufSummary } from "../../gguf/metadata.ts";

const TOKEN = "hf_fixture_token";
let dir: string;
let open: HfServer;
let gated: HfServer;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "hangar-hf-resolve-"));
  const repos = await buildHfFixtureRepos(dir);
  open = await startHfServer({ repos });
  gated = await startHfServer({ repos, token: TOKEN });
});
after(async () => {
  await open?.close();
  await gated?.close();
  await rm(dir, { recursive: true, force: true });
});

const [user, repo] = TINY_REPO.split("/") as [string, string];

test("default quant Q4_K_M with the mmproj, sizes and LFS sha256 from the tree", async () => {
  const r = await resolveHuggingFace({ user, repo }, { endpoint: open.endpoint });
  assert.equal(r.repo, TINY_REPO);
  assert.equal(r.revision, "main");
  assert.equal(r.quant, "Q4_K_M");
  assert.deepEqual(
    r.files.map((f) => [f.path, f.role]),
    [
      ["tiny-llama-Q4_K_M.gguf", "gguf"],
      ["mmproj-tiny-llama-f16.gguf", "mmproj"],
    ],
  );
  const first = r.files[0]!;
  assert.equal(first.sha256, open.sha256(TINY_REPO, first.path));
  assert.equal(first.size, open.size(TINY_REPO, first.path));
  assert.equal(first.url, `${open.endpoint}/${TINY_REPO}/resolve/main/tiny-llama-Q4_K_M.gguf`);
  assert.deepEqual(first.headers, {});
});

test("the resolved URL downloads bytes matching the sha256 (through the CDN redirect)", async () => {
  const r = await resolveHuggingFace(
    { user, repo, quant: "q8_0" },
    { endpoint: gated.endpoint, token: TOKEN },
  );
  const file = r.files[0]!;
  assert.equal(file.headers.Authorization, `Bearer ${TOKEN}`);
  const res = await hfFetch(hfClient({ endpoint: gated.endpoint, token: TOKEN }), file.url);
  assert.equal(res.status, 200);
  const body = Buffer.from(await res.arrayBuffer());
  assert.equal(createHash("sha256").update(body).digest("hex"), file.sha256);
  const cdn = gated.requests.filter((q) => q.server === "cdn");
  assert.ok(cdn.length > 0, "the download went through the CDN");
  assert.ok(
    cdn.every((q) => q.authorization === undefined),
    "Authorization never reaches the CDN host",
  );
  const resolveHit = gated.requests.find((q) => q.url.includes("/resolve/main/tiny-llama-Q8_0.gguf"));
  assert.equal(resolveHit?.authorization, `Bearer ${TOKEN}`);
});

test("sharded models resolve to every shard in order", async () => {
  const [u, n] = SHARDED_REPO.split("/") as [string, string];
  const r = await resolveHuggingFace({ user: u, repo: n, quant: "Q8_0" }, { endpoint: open.endpoint });
  assert.deepEqual(
    r.files.map((f) => f.path),
    [1, 2, 3].map((i) => `Q8_0/sharded-llama-Q8_0-0000${i}-of-00003.gguf`),
  );
  assert.ok(r.files.every((f) => f.role === "gguf"));
  // No Q4_K_M in this repo: the default falls back to a sensible choice (Q8_0 before F32).
  assert.equal((await resolveHuggingFace({ user: u, repo: n }, { endpoint: open.endpoint })).quant, "Q8_0");
});

test("clear errors: unknown repo, no GGUF, unknown quant, missing or wrong token, bad names", async () => {
  const code = (c: string, re: RegExp) => (e: unknown) =>
    e instanceof HuggingFaceError && e.code === c && re.test(e.message);
  await assert.rejects(
    resolveHuggingFace({ user: "nobody", repo: "nothing" }, { endpoint: open.endpoint }),
    code("repo_not_found", /"nobody\/nothing".*not found/),
  );
  const [u, n] = NO_GGUF_REPO.split("/") as [string, string];
  await assert.rejects(
    resolveHuggingFace({ user: u, repo: n }, { endpoint: open.endpoint }),
    code("no_gguf", /no GGUF/),
  );
  await assert.rejects(
    resolveHuggingFace({ user, repo, quant: "IQ2_XXS" }, { endpoint: open.endpoint }),
    code("quant_not_found", /available: F16, Q4_K_M, Q8_0/),
  );
  await assert.rejects(
    resolveHuggingFace({ user, repo, revision: "v9" }, { endpoint: open.endpoint }),
    code("revision_not_found", /revision/),
  );
  await assert.rejects(
    resolveHuggingFace({ user, repo }, { endpoint: gated.endpoint }),
    code("unauthorized", /set HF_TOKEN/),
  );
  await assert.rejects(
    resolveHuggingFace({ user, repo }, { endpoint: gated.endpoint, token: "wrong" }),
    code("unauthorized", /refused HF_TOKEN/),
  );
  await assert.rejects(
    resolveHuggingFace({ user: "a b", repo }, { endpoint: open.endpoint }),
    code("bad_reference", /user/),
  );
});

test("hf.co and huggingface.co addresses are rewritten to the endpoint", () => {
  const client = hfClient({ endpoint: "http://127.0.0.1:9999/" });
  assert.equal(
    toEndpointUrl(client, "hf.co/u/r/resolve/main/x.gguf"),
    "http://127.0.0.1:9999/u/r/resolve/main/x.gguf",
  );
  assert.equal(
    toEndpointUrl(client, "https://huggingface.co/api/models?x=1"),
    "http://127.0.0.1:9999/api/models?x=1",
  );
  assert.equal(toEndpointUrl(client, "https://example.com/u/r"), "https://example.com/u/r");
  assert.throws(() => hfClient({ endpoint: "ftp://x" }), /http\(s\)/);
});

test("remote GGUF header read before download: Range through the redirect, token kept off the CDN", async () => {
  const r = await resolveHuggingFace(
    { user, repo, quant: "Q8_0" },
    { endpoint: gated.endpoint, token: TOKEN },
  );
  const before = gated.requests.length;
  const summary = await readHuggingFaceGgufSummary(r.files[0]!, { endpoint: gated.endpoint, token: TOKEN });
  assert.equal(summary.quantization, "Q8_0");
  assert.equal(summary.architecture, "llama");
  assert.equal(summary.fileSize, r.files[0]!.size);
  const cdn = gated.requests.slice(before).filter((q) => q.server === "cdn");
  assert.ok(cdn.length > 0 && cdn.every((q) => q.status === 206 && q.range?.startsWith("bytes=0-")));
  assert.ok(cdn.every((q) => q.authorization === undefined));
});

test("memory estimate of a sharded Hugging Face model before download sums every shard's weights", async () => {
  const [u, n] = SHARDED_REPO.split("/") as [string, string];
  const before = gated.requests.length;
  const r = await estimateHuggingFaceMemory(
    { user: u, repo: n, quant: "Q8_0" },
    { endpoint: gated.endpoint, token: TOKEN },
    { contextSize: 128, machineTotalBytes: 8 * 1024 ** 3, freeBytes: 4 * 1024 ** 3 },
  );
  assert.equal(r.quant, "Q8_0");
  assert.equal(r.files.length, 3);
  const local = await readGgufSummary(join(dir, "sharded-1.gguf"));
  assert.equal(r.summary.blockCount, local.blockCount);
  // The three generated shards have the same shape, so the weights are three times one shard's.
  assert.equal(r.estimate.weightsBytes, local.tensorBytes * 3);
  assert.equal(r.fit, "fits");
  const cdn = gated.requests.slice(before).filter((q) => q.server === "cdn");
  assert.equal(cdn.length, 3, "one header read per shard");
  assert.ok(cdn.every((q) => q.authorization === undefined && q.status === 206));
});
