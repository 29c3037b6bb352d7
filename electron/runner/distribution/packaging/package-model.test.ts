import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTinyModel } from "../../../../testkit/gguf-writer.ts";
import { ModelStore } from "../../store/model-store.ts";
import * as mt from "../../artifact/media-types.ts";
import { ggufShards } from "./package-model.ts";
import { importGguf } from "./package-model.ts";

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), "hangar-package-"));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("sharded GGUF, license, chat template and mmproj become one Docker model artifact", () =>
  withDir(async (dir) => {
    const s1 = await writeTinyModel(join(dir, "m-00001-of-00002.gguf"), { seed: 51 });
    const s2 = await writeTinyModel(join(dir, "m-00002-of-00002.gguf"), { seed: 52 });
    const mm = await writeTinyModel(join(dir, "mmproj.gguf"), { seed: 53 });
    await writeFile(join(dir, "LICENSE"), "MIT License");
    await writeFile(join(dir, "template.jinja"), "{{ messages }}");
    const store = new ModelStore({ root: join(dir, "models") });
    const model = await importGguf(store, s1, "team/sharded:v1", {
      licenses: [join(dir, "LICENSE")],
      chatTemplate: join(dir, "template.jinja"),
      mmproj: mm,
      contextSize: 300,
      modelFormat: "docker",
    });
    assert.equal(model.contextLength, 300);
    const stored = await store.get("team/sharded:v1");
    assert.deepEqual(
      stored.manifest.layers.map((l) => l.mediaType),
      [mt.DOCKER_GGUF, mt.DOCKER_GGUF, mt.DOCKER_LICENSE, mt.DOCKER_CHAT_TEMPLATE, mt.DOCKER_MMPROJ],
    );
    const config = stored.config as { config: Record<string, unknown>; rootfs: { diff_ids: string[] } };
    assert.equal(config.config.context_size, 300);
    assert.equal(config.rootfs.diff_ids.length, 5);
    const resolved = await store.resolve("team/sharded:v1");
    assert.equal(resolved.ggufPaths.length, 2);
    assert.deepEqual(await readFile(resolved.ggufPaths[1]!), await readFile(s2));
    assert.equal(resolved.license, "MIT License");
    assert.equal(resolved.chatTemplate, "{{ messages }}");
    assert.deepEqual(await readFile(resolved.mmprojPath!), await readFile(mm));
  }));

test("bad packaging input gets clear errors", () =>
  withDir(async (dir) => {
    const store = new ModelStore({ root: join(dir, "models") });
    await writeTinyModel(join(dir, "x-00001-of-00003.gguf"), { seed: 1 });
    await writeTinyModel(join(dir, "x-00002-of-00003.gguf"), { seed: 2 });
    await assert.rejects(
      ggufShards(join(dir, "x-00001-of-00003.gguf")),
      /shard x-00003-of-00003\.gguf .* is missing/,
    );
    await assert.rejects(ggufShards(join(dir, "x-00002-of-00003.gguf")), /pass the first shard/);
    await assert.rejects(
      importGguf(store, join(dir, "nope.gguf"), "a/b"),
      /GGUF file .*nope\.gguf does not exist/,
    );
    await writeFile(join(dir, "not.gguf"), "hello");
    await assert.rejects(importGguf(store, join(dir, "not.gguf"), "a/b"), /cannot read GGUF header/);
    const ok = await writeTinyModel(join(dir, "ok.gguf"), { seed: 3 });
    await assert.rejects(
      importGguf(store, ok, "a/b", { contextSize: -1 }),
      /--context-size must be a positive integer/,
    );
    await assert.rejects(
      importGguf(store, ok, "a/b", { mmproj: ok, format: "cncf" }),
      /only supported in the docker format/,
    );
    await assert.rejects(importGguf(store, ok, "Bad Ref"), /invalid model reference/);
    assert.deepEqual(await store.list(), []);
    assert.deepEqual(await store.blobs.list(), [], "input is checked before anything is stored");
  }));
