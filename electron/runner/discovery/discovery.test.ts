import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFile, mkdir, mkdtemp, rm, unlink } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { writeTinyModel } from "../../../testkit/gguf-writer.ts";
import {
  toolRoots,
  writeDockerModelRunnerModel,
  writeHfCacheRepo,
  writeJanModel,
  writeLlamaCppCacheModel,
  writeLmStudioModel,
  writeOllamaModel,
} from "../../../testkit/tool-stores.ts";
import { ModelDiscovery } from "./discovery.ts";
import { ollamaRoots } from "./ollama.ts";

async function fakeHome() {
  const home = await mkdtemp(join(tmpdir(), "hangar-discovery-"));
  const gguf = await writeTinyModel(join(home, "src", "tiny.gguf"), { seed: 3 });
  const other = await writeTinyModel(join(home, "src", "other.gguf"), { seed: 4, matrixType: "Q8_0" });
  return {
    home,
    gguf,
    other,
    roots: toolRoots(home),
    cleanup: () => rm(home, { recursive: true, force: true }),
  };
}

test("every tool's layout is listed under the name a pull would give, with its source", async (t) => {
  const h = await fakeHome();
  t.after(h.cleanup);
  const { modelDigest } = await writeOllamaModel(h.roots.ollama, {
    name: "library/gemma3",
    tag: "1b",
    gguf: h.gguf,
    params: { temperature: 0.5 },
  });
  await writeOllamaModel(h.roots.ollama, {
    name: "bartowski/x-GGUF",
    tag: "Q8_0",
    gguf: h.other,
    registry: "hf.co",
  });
  await writeHfCacheRepo(h.roots.hfHub, "acme", "Tiny-GGUF", {
    "tiny-Q4_K_M.gguf": h.gguf,
    "tiny-Q8_0.gguf": h.other,
    "mmproj-tiny-f16.gguf": h.other,
  });
  await writeLmStudioModel(h.roots.lmstudio, "lmstudio-community", "Small-GGUF", {
    "small-Q4_K_M-00001-of-00002.gguf": h.gguf,
    "small-Q4_K_M-00002-of-00002.gguf": h.other,
  });
  await writeLlamaCppCacheModel(h.roots.llamaCpp, "ggml-org", "cached-GGUF", "cached-Q8_0.gguf", h.other);
  await writeDockerModelRunnerModel(h.roots.dockerModels, "ai/smollm2:135M-Q4_K_M", h.gguf);
  await writeJanModel(h.roots.jan, "Qwen3-0.6B-Q4_K_M", h.gguf);

  const discovery = new ModelDiscovery({ env: { HOME: h.home } });
  const models = await discovery.list();
  const bySource = Object.fromEntries(models.map((m) => [m.ref, m.source]));
  assert.deepEqual(bySource, {
    "ai/smollm2:135M-Q4_K_M": "docker-model-runner",
    "hf.co/acme/Tiny-GGUF:Q4_K_M": "huggingface-cache",
    "hf.co/acme/Tiny-GGUF:Q8_0": "huggingface-cache",
    "hf.co/bartowski/x-GGUF:Q8_0": "ollama",
    "hf.co/ggml-org/cached-GGUF:Q8_0": "llama-cpp-cache",
    "hf.co/lmstudio-community/Small-GGUF:Q4_K_M": "lmstudio",
    "local/jan/qwen3-0.6b-q4_k_m:Q4_K_M": "jan",
    "registry.ollama.ai/library/gemma3:1b": "ollama",
  });
  const gemma = (await discovery.find("ollama.com/library/gemma3:1b"))!;
  assert.equal(gemma.ref, "registry.ollama.ai/library/gemma3:1b");
  assert.deepEqual(gemma.params, { temperature: 0.5 });
  assert.equal(gemma.architecture, "llama");
  assert.equal(gemma.ggufPaths[0], join(h.roots.ollama, "blobs", modelDigest.replace(":", "-")));

  // The projector is attached to the models, never listed as one.
  const q4 = (await discovery.find("hf.co/acme/Tiny-GGUF:q4_k_m"))!;
  assert.match(q4.mmprojPath ?? "", /mmproj-tiny-f16\.gguf$/);
  assert.ok(q4.knownDigests[q4.ggufPaths[0]!]?.startsWith("sha256:"), "the HF blob name is the sha256");
  // Without a quant, the default choice a pull would make (Q4_K_M).
  assert.equal((await discovery.find("hf.co/acme/Tiny-GGUF"))?.ref, "hf.co/acme/Tiny-GGUF:Q4_K_M");
  // Two shards are one model, in shard order.
  const sharded = (await discovery.find("hf.co/lmstudio-community/Small-GGUF:Q4_K_M"))!;
  assert.equal(sharded.ggufPaths.length, 2);
  assert.match(sharded.ggufPaths[1]!, /00002-of-00002/);
  assert.equal(await discovery.find("hf.co/nobody/nothing:Q4_K_M"), null);
});

test("environment overrides, custom folders and switched-off sources", async (t) => {
  const h = await fakeHome();
  t.after(h.cleanup);
  const moved = join(h.home, "elsewhere", "ollama");
  await writeOllamaModel(moved, { name: "library/moved", tag: "latest", gguf: h.gguf });
  await writeOllamaModel(h.roots.ollama, { name: "library/default", tag: "latest", gguf: h.gguf });
  const hub = join(h.home, "hfhome", "hub");
  await writeHfCacheRepo(hub, "acme", "Env-GGUF", { "env-Q8_0.gguf": h.other });
  const loose = join(h.home, "my models");
  await mkdir(loose, { recursive: true });
  await copyFile(h.gguf, join(loose, "Mine-Q4_K_M.gguf"));
  const settings: { disabled: string[]; folders: string[] } = { disabled: [], folders: [loose] };
  const discovery = new ModelDiscovery({
    env: { HOME: h.home, OLLAMA_MODELS: moved, HF_HOME: join(h.home, "hfhome") },
    settings: () => settings,
    // Long: the settings change below must show without waiting for the scan to age.
    maxAgeMs: 60_000,
  });
  assert.deepEqual(
    (await discovery.list()).map((m) => `${m.ref} ${m.source}`),
    [
      "hf.co/acme/Env-GGUF:Q8_0 huggingface-cache",
      "local/my-models/mine-q4_k_m:Q4_K_M folder",
      "registry.ollama.ai/library/moved:latest ollama",
    ],
  );
  // Switched off: the default places are not read; an added folder in Ollama's layout is read as Ollama's.
  settings.disabled = ["ollama", "huggingface-cache"];
  const second = join(h.home, "second-ollama");
  await writeOllamaModel(second, { name: "library/second", tag: "2", gguf: h.other });
  settings.folders = [loose, second];
  assert.deepEqual(
    (await discovery.list()).map((m) => `${m.ref} ${m.source}`),
    ["local/my-models/mine-q4_k_m:Q4_K_M folder", "registry.ollama.ai/library/second:2 ollama"],
  );
});

test("files that appear or disappear are noticed; broken and half-written files are not listed", async (t) => {
  const h = await fakeHome();
  t.after(h.cleanup);
  const discovery = new ModelDiscovery({ env: { HOME: h.home }, maxAgeMs: 0 });
  assert.deepEqual(await discovery.list(), []);
  const dir = join(h.roots.lmstudio, "pub", "Live-GGUF");
  await writeLmStudioModel(h.roots.lmstudio, "pub", "Live-GGUF", { "live-Q4_K_M.gguf": h.gguf });
  assert.deepEqual(
    (await discovery.list()).map((m) => m.ref),
    ["hf.co/pub/Live-GGUF:Q4_K_M"],
  );
  await unlink(join(dir, "live-Q4_K_M.gguf"));
  assert.deepEqual(await discovery.list(), []);
  // Not GGUF, one shard of two, and a projector alone: nothing to run.
  await mkdir(dir, { recursive: true });
  await import("node:fs/promises").then((fs) => fs.writeFile(join(dir, "junk-Q8_0.gguf"), "not a gguf"));
  await copyFile(h.gguf, join(dir, "big-Q4_K_M-00001-of-00002.gguf"));
  await copyFile(h.gguf, join(dir, "mmproj-F16.gguf"));
  assert.deepEqual(await discovery.list(), []);
});

test("findBlob answers from Ollama blob names and HF cache links, checking the size", async (t) => {
  const h = await fakeHome();
  t.after(h.cleanup);
  const { modelDigest } = await writeOllamaModel(h.roots.ollama, {
    name: "library/a",
    tag: "1",
    gguf: h.gguf,
  });
  await writeHfCacheRepo(h.roots.hfHub, "acme", "B-GGUF", { "b-Q8_0.gguf": h.other });
  const discovery = new ModelDiscovery({ env: { HOME: h.home } });
  const { size } = await import("node:fs/promises").then((fs) => fs.stat(h.gguf));
  assert.equal(
    await discovery.findBlob(modelDigest, size),
    join(h.roots.ollama, "blobs", modelDigest.replace(":", "-")),
  );
  assert.equal(await discovery.findBlob(modelDigest, size + 1), null);
  const hf = (await discovery.find("hf.co/acme/B-GGUF:Q8_0"))!;
  const digest = hf.knownDigests[hf.ggufPaths[0]!]!;
  assert.equal(await discovery.findBlob(digest, hf.size), hf.ggufPaths[0]);
  assert.equal(await discovery.findBlob(`sha256:${"0".repeat(64)}`, size), null);
});

test("the Ollama service's system folder is read for the account's own home only", () => {
  assert.deepEqual(ollamaRoots({}, "/tmp/elsewhere"), ["/tmp/elsewhere/.ollama/models"]);
  assert.ok(ollamaRoots({}, userInfo().homedir).includes("/usr/share/ollama/.ollama/models"));
  assert.deepEqual(ollamaRoots({ OLLAMA_MODELS: "/data/ollama" }, userInfo().homedir), ["/data/ollama"]);
});
