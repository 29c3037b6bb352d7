import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTinyModel } from "../../../testkit/gguf-writer.ts";
import { toolRoots } from "../../../testkit/tool-stores.ts";
import { importGguf } from "../distribution/packaging/package-model.ts";
import { ModelStore } from "../store/model-store.ts";
import { ModelDiscovery } from "./discovery.ts";
import { exportToOllama } from "./ollama-export.ts";

test("export --to ollama writes a manifest and blobs Ollama (and discovery) read; nothing is overwritten", async (t) => {
  const home = await mkdtemp(join(tmpdir(), "hangar-export-"));
  t.after(() => rm(home, { recursive: true, force: true }));
  const store = new ModelStore({ root: join(home, ".hangar", "models") });
  const gguf = await writeTinyModel(join(home, "src", "tiny.gguf"), { seed: 31 });
  const imported = await importGguf(store, gguf, "ai/tiny:1b-F16");
  const env = { HOME: home };

  const r = await exportToOllama(store, "ai/tiny:1b-F16", env);
  assert.equal(r.name, "ai/tiny:1b-F16");
  assert.equal(
    r.manifestPath,
    join(toolRoots(home).ollama, "manifests", "registry.ollama.ai", "ai", "tiny", "1b-F16"),
  );
  const found = await new ModelDiscovery({ env }).find("ollama.com/ai/tiny:1b-F16");
  assert.ok(found, "discovery reads what export wrote as an Ollama model");
  assert.equal(found.source, "ollama");
  assert.equal(found.architecture, "llama");
  const stored = await store.resolve("ai/tiny:1b-F16");
  assert.equal((await stat(found.ggufPaths[0]!)).size, (await stat(stored.ggufPaths[0]!)).size);
  assert.equal(
    found.ggufPaths[0]!.endsWith(stored.ggufPaths[0]!.split("/").pop()!),
    true,
    "same sha256 name",
  );
  assert.notEqual((await stat(found.ggufPaths[0]!)).ino, (await stat(stored.ggufPaths[0]!)).ino);
  await assert.rejects(exportToOllama(store, "ai/tiny:1b-F16", env), /Ollama already has ai\/tiny:1b-F16/);
  assert.equal(imported.ref, "ai/tiny:1b-F16");
});
