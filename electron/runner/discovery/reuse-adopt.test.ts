/**
 * Blobs other tools hold: a pull copies them in instead of fetching them (counted at a proxy in front
 * of a real registry), adoption copies and verifies, and nothing the other tool does to its files later
 * reaches Hangar's store.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, open, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTinyModel } from "../../../testkit/gguf-writer.ts";
import { startProxy, startRegistry } from "../../../testkit/registry.ts";
import { startHfServer } from "../../../testkit/hf-server.ts";
import type { RunningRegistry } from "../../../testkit/registry.ts";
import {
  folderSnapshot,
  toolRoots,
  writeHfCacheRepo,
  writeOllamaModel,
} from "../../../testkit/tool-stores.ts";
import { OciClient } from "../distribution/registry/oci-client.ts";
import * as mt from "../artifact/media-types.ts";
import { sha256Digest } from "../store/blob-store.ts";
import { ModelStore } from "../store/model-store.ts";
import { ModelDiscovery } from "./discovery.ts";
import { LibraryWithDiscovery } from "./library.ts";
import { pullModel } from "../distribution/pull.ts";

let registry: RunningRegistry;
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "hangar-reuse-"));
  registry = await startRegistry();
});
after(async () => {
  await registry?.close();
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function setup(seed: number) {
  const home = join(dir, `home${n++}`);
  const gguf = await writeTinyModel(join(home, "src", "tiny.gguf"), { seed });
  const env = { HOME: home, HANGAR_HOME: join(home, ".hangar") };
  const store = new ModelStore({ root: join(home, ".hangar", "models") });
  const discovery = new ModelDiscovery({ env, maxAgeMs: 0 });
  const library = new LibraryWithDiscovery(store, discovery, (ref, o) =>
    pullModel(store, ref, { env, ...o }),
  );
  return { home, gguf, store, library, roots: toolRoots(home) };
}

/** Pushes an Ollama-format model holding `gguf` to the registry. */
async function pushOllama(repo: string, gguf: string): Promise<string> {
  const client = new OciClient({ registry: registry.host, credentials: null });
  const desc = async (mediaType: string, data: Buffer | string) => {
    const digest = sha256Digest(data);
    const size = Buffer.byteLength(data);
    await client.pushBlob(repo, {
      digest,
      size,
      body: () => (typeof data === "string" ? data : new Uint8Array(data)),
    });
    return { mediaType, digest, size };
  };
  const manifest = {
    schemaVersion: 2,
    mediaType: mt.DOCKER_MANIFEST,
    config: await desc(mt.OLLAMA_CONFIG, JSON.stringify({ model_format: "gguf", model_family: "llama" })),
    layers: [
      await desc(mt.OLLAMA_MODEL, await readFile(gguf)),
      await desc(mt.OLLAMA_PARAMS, JSON.stringify({ temperature: 0.1 })),
    ],
  };
  await client.putManifest(repo, "1b", JSON.stringify(manifest), mt.DOCKER_MANIFEST);
  return manifest.layers[0]!.digest;
}

/** Flips one byte in place, keeping the size: the change a size check alone would miss. */
async function flipByte(path: string, at: number): Promise<void> {
  const fh = await open(path, "r+");
  try {
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, at);
    b[0] = b[0]! ^ 0xff;
    await fh.write(b, 0, 1, at);
  } finally {
    await fh.close();
  }
}

test("a pull reuses the weights Ollama holds: no GET for that blob, the copy verified", async () => {
  const s = await setup(21);
  const modelDigest = await pushOllama("library/reuse", s.gguf);
  await writeOllamaModel(s.roots.ollama, { name: "library/local-name", tag: "x", gguf: s.gguf });
  const proxy = await startProxy({ upstream: registry.url });
  try {
    const pulled = await s.library.pull(`${proxy.host}/library/reuse:1b`);
    assert.equal(pulled.source, proxy.host);
    assert.ok(
      !proxy.blobGets.includes(modelDigest),
      `no GET for ${modelDigest}: ${proxy.blobGets.join(", ")}`,
    );
    assert.equal(proxy.blobGets.length, 2, "config and params are fetched");
    const stored = s.store.blobs.path(modelDigest);
    const original = join(s.roots.ollama, "blobs", modelDigest.replace(":", "-"));
    assert.notEqual(
      (await stat(stored)).ino,
      (await stat(original)).ino,
      "an independent copy, not a hard link",
    );
    // Ollama rewriting its file later changes nothing in the store.
    await flipByte(original, 100);
    assert.deepEqual((await s.store.fsck()).broken, []);
    assert.equal((await s.store.blobs.verify(modelDigest)).ok, true);
  } finally {
    await proxy.close();
  }
});

test("a blob whose bytes do not match its name is downloaded instead", async () => {
  const s = await setup(22);
  const modelDigest = await pushOllama("library/tampered", s.gguf);
  await writeOllamaModel(s.roots.ollama, { name: "library/local-name", tag: "x", gguf: s.gguf });
  await flipByte(join(s.roots.ollama, "blobs", modelDigest.replace(":", "-")), 200);
  const proxy = await startProxy({ upstream: registry.url });
  try {
    await s.library.pull(`${proxy.host}/library/tampered:1b`);
    assert.ok(proxy.blobGets.includes(modelDigest), "the damaged local copy was not used");
    assert.equal((await s.store.blobs.verify(modelDigest)).ok, true);
  } finally {
    await proxy.close();
  }
});

test("adopt copies and verifies; the adopted model survives the original's deletion", async () => {
  const s = await setup(23);
  await writeOllamaModel(s.roots.ollama, {
    name: "library/gemma3",
    tag: "1b",
    gguf: s.gguf,
    system: "Be brief.",
  });
  await writeHfCacheRepo(s.roots.hfHub, "acme", "Tiny-GGUF", { "tiny-F16.gguf": s.gguf });

  const untouched = { ollama: await folderSnapshot(s.roots.ollama), hf: await folderSnapshot(s.roots.hfHub) };
  const ollama = await s.library.adopt("ollama.com/gemma3:1b");
  assert.equal(ollama.model.ref, "registry.ollama.ai/library/gemma3:1b");
  assert.equal(ollama.model.source, "registry.ollama.ai");
  assert.equal(ollama.model.format, "ollama");
  assert.ok(ollama.reflinked + (ollama.copiedBytes > 0 ? 1 : 0) > 0);
  const hf = await s.library.adopt("hf.co/acme/Tiny-GGUF");
  assert.equal(hf.model.ref, "hf.co/acme/Tiny-GGUF:F16");
  assert.equal(hf.model.source, "huggingface");
  await assert.rejects(s.library.adopt("hf.co/acme/Tiny-GGUF:F16"), /already in Hangar's store/);

  assert.deepEqual(
    { ollama: await folderSnapshot(s.roots.ollama), hf: await folderSnapshot(s.roots.hfHub) },
    untouched,
  );
  await rm(s.roots.ollama, { recursive: true });
  await rm(s.roots.hfHub, { recursive: true });
  const listed = await s.library.list();
  assert.deepEqual(
    listed.map((m) => `${m.ref} ${m.source}`),
    ["hf.co/acme/Tiny-GGUF:F16 huggingface", "registry.ollama.ai/library/gemma3:1b registry.ollama.ai"],
  );
  const resolved = await s.library.resolve("ollama.com/gemma3:1b");
  assert.equal(resolved.systemPrompt, "Be brief.");
  assert.ok(resolved.ggufPaths[0]!.startsWith(s.store.root));
  assert.deepEqual((await s.store.fsck()).broken, []);
});

test("adopt refuses a file changed behind its name; nothing enters the store", async () => {
  const s = await setup(24);
  const { modelDigest } = await writeOllamaModel(s.roots.ollama, {
    name: "library/bad",
    tag: "1",
    gguf: s.gguf,
  });
  await flipByte(join(s.roots.ollama, "blobs", modelDigest.replace(":", "-")), 300);
  await assert.rejects(s.library.adopt("ollama.com/bad:1"), /corrupt/);
  assert.deepEqual(await s.store.list(), []);
  assert.equal(await s.store.blobs.has(modelDigest), false);
});

test("models of other tools cannot be removed or renamed through Hangar", async () => {
  const s = await setup(25);
  await writeOllamaModel(s.roots.ollama, { name: "library/keep", tag: "1", gguf: s.gguf });
  await assert.rejects(s.library.remove("ollama.com/keep:1"), /belongs to Ollama.*hangar adopt/);
  await assert.rejects(s.library.tag("ollama.com/keep:1", "local/x:1"), /belongs to Ollama/);
  assert.equal((await s.library.list()).length, 1);
});

test("a Hugging Face pull reuses a file another tool holds: the CDN is never asked for it", async () => {
  const s = await setup(26);
  const weights = await readFile(s.gguf);
  const hf = await startHfServer({
    repos: [{ id: "tester/Reuse-GGUF", files: [{ path: "reuse-Q8_0.gguf", content: weights }] }],
  });
  try {
    await writeOllamaModel(s.roots.ollama, { name: "library/same-bytes", tag: "1", gguf: s.gguf });
    const env = { HOME: s.home, HANGAR_HOME: join(s.home, ".hangar"), HF_ENDPOINT: hf.endpoint };
    const library = new LibraryWithDiscovery(s.store, new ModelDiscovery({ env }), (ref, o) =>
      pullModel(s.store, ref, { env, ...o }),
    );
    const pulled = await library.pull("hf.co/tester/Reuse-GGUF:Q8_0");
    assert.equal(pulled.source, "huggingface");
    assert.deepEqual(
      hf.requests.filter((r) => r.url.includes("reuse-Q8_0.gguf") && r.bytes > 0).map((r) => r.server),
      [],
      "no byte of the weights was fetched",
    );
    assert.deepEqual(
      await readFile((await s.store.resolve("hf.co/tester/Reuse-GGUF:Q8_0")).ggufPaths[0]!),
      weights,
    );
  } finally {
    await hf.close();
  }
});
