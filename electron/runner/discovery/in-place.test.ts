/**
 * Each tool's layout, end to end through a real runner: the model is listed with its name and source,
 * a chat on it runs on real node-llama-cpp, and Hangar's store grew by 0 bytes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTinyModel } from "../../../testkit/gguf-writer.ts";
import {
  folderSnapshot,
  toolRoots,
  writeDockerModelRunnerModel,
  writeHfCacheRepo,
  writeJanModel,
  writeLlamaCppCacheModel,
  writeLmStudioModel,
  writeOllamaModel,
} from "../../../testkit/tool-stores.ts";
import { createRunner } from "../runner.ts";

/** Bytes of every file under a folder (0 when it does not exist). */
async function bytesUnder(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, e.name);
    total += e.isDirectory() ? await bytesUnder(path) : (await stat(path)).size;
  }
  return total;
}

test("a model from every tool's folder is listed, chats, and costs the store 0 bytes", async (t) => {
  const home = await mkdtemp(join(tmpdir(), "hangar-in-place-"));
  t.after(() => rm(home, { recursive: true, force: true }));
  const gguf = await writeTinyModel(join(home, "src", "tiny-Q8_0.gguf"), { seed: 2, contextLength: 1024 });
  const roots = toolRoots(home);
  await writeOllamaModel(roots.ollama, { name: "library/gemma3", tag: "1b", gguf });
  await writeHfCacheRepo(roots.hfHub, "acme", "Tiny-GGUF", { "tiny-Q8_0.gguf": gguf });
  await writeLmStudioModel(roots.lmstudio, "lmstudio-community", "Studio-GGUF", { "studio-Q8_0.gguf": gguf });
  await writeLlamaCppCacheModel(roots.llamaCpp, "ggml-org", "Cached-GGUF", "cached-Q8_0.gguf", gguf);
  await writeDockerModelRunnerModel(roots.dockerModels, "ai/tiny:latest", gguf);
  await writeJanModel(roots.jan, "tiny-Q8_0", gguf);
  const expected: Record<string, string> = {
    "registry.ollama.ai/library/gemma3:1b": "ollama",
    "hf.co/acme/Tiny-GGUF:Q8_0": "huggingface-cache",
    "hf.co/lmstudio-community/Studio-GGUF:Q8_0": "lmstudio",
    "hf.co/ggml-org/Cached-GGUF:Q8_0": "llama-cpp-cache",
    "ai/tiny:latest": "docker-model-runner",
    "local/jan/tiny-q8_0:Q8_0": "jan",
  };

  const others = [".ollama", ".cache", ".lmstudio", ".docker", ".local"].map((d) => join(home, d));
  const before = await Promise.all(others.map((d) => folderSnapshot(d)));
  const hangarHome = join(home, ".hangar");
  await mkdir(hangarHome, { recursive: true });
  const runner = await createRunner({
    home: hangarHome,
    env: { HOME: home },
    settings: { host: "127.0.0.1", port: 0, threads: 2, gpu: false, parallel: 1, contextSize: 512 },
  });
  t.after(() => runner.close());
  const { url } = await runner.start();
  const storeBefore = await bytesUnder(join(hangarHome, "models"));

  const models = (await (await fetch(`${url}/v1/models`)).json()) as {
    data: { id: string; owned_by: string }[];
  };
  const listed = Object.fromEntries(models.data.map((m) => [m.id, m.owned_by]));
  assert.deepEqual(listed, expected);
  const tags = (await (await fetch(`${url}/api/tags`)).json()) as { models: { name: string }[] };
  assert.deepEqual(tags.models.map((m) => m.name).sort(), Object.keys(expected).sort());

  for (const ref of Object.keys(expected)) {
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: ref, max_tokens: 4, messages: [{ role: "user", content: "Hello" }] }),
    });
    const body = (await res.json()) as { model?: string; usage?: { completion_tokens: number } };
    assert.equal(res.status, 200, `${ref}: ${JSON.stringify(body)}`);
    assert.equal(body.model, ref);
    assert.ok((body.usage?.completion_tokens ?? 0) > 0, `${ref} generated tokens`);
    await runner.engine.unloadAll();
  }
  // A short name finds the Ollama copy too, and `pull` downloads nothing: there is no registry here.
  const pulled = await runner.library.pull("ollama.com/gemma3:1b");
  assert.equal(pulled.source, "ollama");
  assert.equal(await bytesUnder(join(hangarHome, "models")), storeBefore);
  assert.equal(storeBefore, 0);
  // Not one file of the other tools was written, renamed or removed.
  assert.deepEqual(await Promise.all(others.map((d) => folderSnapshot(d))), before);
});
