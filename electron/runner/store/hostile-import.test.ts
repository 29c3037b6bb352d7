// Imports leave the store holding regular files of its own: a symlinked or hard-linked original that
// moves or grows changes nothing in the store, and a killed import or pull leaves nothing behind.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  appendFile,
  link,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  rename,
  rm,
  stat,
  symlink,
  truncate,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTinyModel } from "../../../testkit/gguf-writer.ts";
import { importGguf } from "../distribution/packaging/package-model.ts";
import { ModelStore } from "./model-store.ts";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "hangar-hostile-import-"));
  await writeTinyModel(join(dir, "original.gguf"), { seed: 5 });
});
after(() => rm(dir, { recursive: true, force: true }));

/** The stored weights of `ref`: a regular file with one link, whose content still hashes to its name. */
async function assertOwned(store: ModelStore, ref: string): Promise<void> {
  const path = (await store.resolve(ref)).ggufPaths[0]!;
  const info = await lstat(path);
  assert.ok(info.isFile(), `${path} is a regular file, not a symlink`);
  assert.equal(info.nlink, 1, "not hard-linked to the original");
  const digest = `sha256:${path.split("/").pop()}`;
  assert.equal((await store.blobs.verify(digest)).ok, true);
}

test("an absolute symlink is imported as the file it names; moving the original breaks nothing", async () => {
  const store = new ModelStore({ root: join(dir, "s1") });
  const copy = join(dir, "moving.gguf");
  await writeTinyModel(copy, { seed: 6 });
  await symlink(copy, join(dir, "abs-link.gguf"));
  await importGguf(store, join(dir, "abs-link.gguf"), "local/abs:1");
  await rename(copy, join(dir, "moved.gguf"));
  await assertOwned(store, "local/abs:1");
});

test("a relative symlink is imported", async () => {
  const store = new ModelStore({ root: join(dir, "s2") });
  await mkdir(join(dir, "links"));
  await symlink("../original.gguf", join(dir, "links", "rel.gguf"));
  await importGguf(store, join(dir, "links", "rel.gguf"), "local/rel:1");
  await assertOwned(store, "local/rel:1");
});

test("appending to a hard-linked original does not change the stored blob", async () => {
  const store = new ModelStore({ root: join(dir, "s3") });
  const original = join(dir, "grows.gguf");
  await writeTinyModel(original, { seed: 7 });
  await link(original, join(dir, "grows-link.gguf"));
  await importGguf(store, original, "local/grows:1");
  await appendFile(original, Buffer.alloc(4096, 1));
  await assertOwned(store, "local/grows:1");
});

test("a directory is not imported", async () => {
  const store = new ModelStore({ root: join(dir, "s4") });
  await mkdir(join(dir, "not-a-file.gguf"));
  await assert.rejects(importGguf(store, join(dir, "not-a-file.gguf"), "local/dir:1"));
});

test("leftovers of a killed import or pull are removed; a resumable partial download stays", async () => {
  const root = join(dir, "s5");
  const gone = spawnSync(process.execPath, ["-e", "process.pid"]).pid!;
  await mkdir(join(root, "incoming"), { recursive: true });
  const leftovers = [
    `adopt.${gone}.0a1b2c3d4e5f`,
    `copy.${gone}.0a1b2c3d4e5f`,
    `${"a".repeat(64)}.partial.json.${gone}.3.tmp`,
  ];
  const kept = [`${"b".repeat(64)}.partial`, `${"b".repeat(64)}.partial.json`];
  for (const name of [...leftovers, ...kept]) await writeFile(join(root, "incoming", name), "x");
  const store = new ModelStore({ root });
  await store.blobs.init();
  assert.deepEqual((await readdir(join(root, "incoming"))).sort(), kept.sort());
});

test("a GGUF whose tensor data runs past the end of the file is refused at import", async () => {
  const store = new ModelStore({ root: join(dir, "s6") });
  const file = await writeTinyModel(join(dir, "truncated.gguf"), { seed: 8 });
  await truncate(file, (await stat(file)).size - 1000);
  await assert.rejects(importGguf(store, file, "local/truncated:1"), /is broken: its tensors need \d+ bytes/);
  assert.deepEqual(await store.list(), []);
});
