import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, stat, writeFile, readFile, readdir, appendFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { writeTinyModel } from "../../../testkit/gguf-writer.ts";
import { ModelNotFoundError, TagConflictError } from "../models.ts";
import { ModelStore } from "./model-store.ts";
import { FileLock } from "./file-lock.ts";
import { importGguf } from "../distribution/packaging/package-model.ts";

async function withStore(fn: (store: ModelStore, dir: string) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), "hangar-store-"));
  try {
    await fn(new ModelStore({ root: join(dir, "models") }), dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("importGguf copies the file into the store, writes a Docker model artifact, and resolve finds it by short form", () =>
  withStore(async (store, dir) => {
    const gguf = await writeTinyModel(join(dir, "tiny.gguf"), { seed: 3 });
    const model = await importGguf(store, gguf, "local/tiny:1");
    assert.equal(model.ref, "local/tiny:1");
    assert.equal(model.format, "gguf");
    assert.equal(model.source, "local");
    assert.equal(model.architecture, "llama");
    assert.equal(model.quantization, "F16");
    assert.equal(model.contextLength, 512);
    assert.match(model.digest, /^sha256:[a-f0-9]{64}$/);

    const resolved = await store.resolve("local/tiny:1");
    assert.equal(resolved.ggufPaths.length, 1);
    assert.notEqual(
      (await stat(resolved.ggufPaths[0]!)).ino,
      (await stat(gguf)).ino,
      "the store owns its copy: never a link to the user's file",
    );
    assert.deepEqual(await readFile(resolved.ggufPaths[0]!), await readFile(gguf));

    const manifest = (await store.get("local/tiny:1")).manifest;
    assert.equal(manifest.config.mediaType, "application/vnd.docker.ai.model.config.v0.1+json");
    assert.deepEqual(
      manifest.layers.map((l) => l.mediaType),
      ["application/vnd.docker.ai.gguf.v3"],
    );
    const config = (await store.get("local/tiny:1")).config as { config: Record<string, unknown> };
    assert.equal(config.config.format, "gguf");
    assert.equal(config.config.size, String((await stat(gguf)).size));
    assert.equal((config.config.gguf as Record<string, string>)["general.architecture"], "llama");
    assert.equal(
      (config.config.gguf as Record<string, string>)["tokenizer.ggml.tokens"],
      undefined,
      "long arrays skipped",
    );

    // Short forms: bare names are ai/<name>:latest on Docker Hub.
    await importGguf(store, gguf, "smollm2:135M-Q4_K_M");
    assert.equal((await store.resolve("ai/smollm2:135M-Q4_K_M")).ref, "ai/smollm2:135M-Q4_K_M");
    assert.equal((await store.resolve("docker.io/ai/smollm2:135M-Q4_K_M")).ref, "ai/smollm2:135M-Q4_K_M");
    await assert.rejects(store.resolve("smollm2:135m-q4_k_m"), ModelNotFoundError, "tags are case-sensitive");
    await assert.rejects(store.resolve("bad ref"), /invalid model reference/);
  }));

test("a file on another filesystem is copied (hashed in the same pass)", async (t) => {
  if (!existsSync("/dev/shm")) return t.skip("no /dev/shm to stand for another filesystem");
  const other = await mkdtemp("/dev/shm/hangar-src-");
  try {
    await withStore(async (store) => {
      const gguf = await writeTinyModel(join(other, "t.gguf"), { seed: 4 });
      if ((await stat(gguf)).dev === (await stat(tmpdir())).dev)
        return t.skip("/dev/shm is on the same filesystem");
      const model = await importGguf(store, gguf, "copy/me");
      const resolved = await store.resolve(model.ref);
      assert.notEqual((await stat(resolved.ggufPaths[0]!)).ino, (await stat(gguf)).ino);
      assert.deepEqual(await readFile(resolved.ggufPaths[0]!), await readFile(gguf));
    });
  } finally {
    await rm(other, { recursive: true, force: true });
  }
});

test("list, tag, touch, remove: shared blobs stay until nothing references them", () =>
  withStore(async (store, dir) => {
    const a = await writeTinyModel(join(dir, "a.gguf"), { seed: 1 });
    const b = await writeTinyModel(join(dir, "b.gguf"), { seed: 2 });
    await importGguf(store, a, "one/a");
    await importGguf(store, b, "one/b");
    await store.tag("one/a", "two/a:v1");
    assert.deepEqual((await store.list()).map((m) => m.ref).sort(), [
      "one/a:latest",
      "one/b:latest",
      "two/a:v1",
    ]);
    const blobsBefore = (await store.blobs.list()).length;

    assert.equal((await store.resolve("two/a:v1")).lastUsedAt, null);
    await store.touch("two/a:v1");
    assert.ok((await store.resolve("two/a:v1")).lastUsedAt);

    await store.remove("one/a");
    assert.equal((await store.blobs.list()).length, blobsBefore, "two/a:v1 still needs a's blobs");
    const aPath = (await store.resolve("two/a:v1")).ggufPaths[0]!;
    await store.remove("two/a:v1");
    assert.equal(existsSync(aPath), false, "a's weights are gone once nothing references them");
    assert.deepEqual(
      (await store.list()).map((m) => m.ref),
      ["one/b:latest"],
    );
    await assert.rejects(store.remove("one/a"), ModelNotFoundError);
    await assert.rejects(store.tag("nope/x", "nope/y"), ModelNotFoundError);
    const usage = await store.usage();
    assert.equal(usage.models, 1);
    assert.equal(usage.blobs, 3);
  }));

test("tag with overwrite false refuses a name another model has, and moves nothing; the default replaces it", () =>
  withStore(async (store, dir) => {
    const a = await writeTinyModel(join(dir, "a.gguf"), { seed: 1 });
    const b = await writeTinyModel(join(dir, "b.gguf"), { seed: 2, blockCount: 3 });
    const small = await importGguf(store, a, "demo/tiny:1");
    const big = await importGguf(store, b, "demo/m25:1");
    const refused = await store.tag("demo/tiny:1", "demo/m25:1", { overwrite: false }).catch((e) => e);
    assert.ok(refused instanceof TagConflictError, String(refused));
    assert.equal(refused.code, "conflict");
    assert.equal(refused.existing.digest, big.digest, "the error names the model the target holds");
    assert.equal((await store.resolve("demo/m25:1")).digest, big.digest, "nothing moved");

    await store.tag("demo/tiny:1", "demo/tiny:copy", { overwrite: false });
    await store.tag("demo/tiny:1", "demo/tiny:copy", { overwrite: false });
    assert.equal(
      (await store.resolve("demo/tiny:copy")).digest,
      small.digest,
      "a free or same-model name is fine",
    );

    await store.tag("demo/tiny:1", "demo/m25:1");
    assert.equal((await store.resolve("demo/m25:1")).digest, small.digest, "Docker's semantics by default");
  }));

test("fsck finds a corrupted blob and --repair removes it; the model is reported broken", () =>
  withStore(async (store, dir) => {
    const gguf = await writeTinyModel(join(dir, "c.gguf"), { seed: 5 });
    await importGguf(store, gguf, "x/c");
    const clean = await store.fsck();
    assert.equal(clean.broken.length, 0);
    assert.equal(clean.checked, 3);
    // A blob changed on disk (bit rot, a stray write) is what fsck must see.
    await appendFile((await store.resolve("x/c")).ggufPaths[0]!, "tampered");
    const report = await store.fsck({ repair: true });
    assert.equal(report.broken.length, 1);
    assert.deepEqual(report.brokenModels, ["x/c:latest"]);
    assert.equal(report.removed.length, 1);
    assert.deepEqual(await store.list(), []);
  }));

test("garbage collection keeps blobs of a pull in progress", () =>
  withStore(async (store) => {
    await store.blobs.init();
    const { digest } = await store.blobs.put("pending layer");
    const pending = await store.pending.start();
    await pending.add([digest]);
    assert.deepEqual((await store.gc()).removed, []);
    await pending.release();
    assert.deepEqual((await store.gc()).removed, [digest]);
  }));

test("the index survives concurrent writers in separate processes", () =>
  withStore(async (store, dir) => {
    const gguf = await writeTinyModel(join(dir, "p.gguf"), { seed: 6 });
    await importGguf(store, gguf, "base/m");
    const script = join(dir, "tagger.mts");
    const storeModule = new URL("./model-store.ts", import.meta.url).href;
    await writeFile(
      script,
      `import { ModelStore } from ${JSON.stringify(storeModule)};
const s = new ModelStore({ root: process.argv[2] });
for (let i = 0; i < 15; i++) await s.tag("base/m", "t/" + process.argv[3] + ":" + i);`,
    );
    const run = (id: string) =>
      new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", script, store.root, id], {
          stdio: "inherit",
        });
        child.on("error", reject);
        child.on("exit", (code) => resolve(code ?? 1));
      });
    assert.deepEqual(await Promise.all([run("a"), run("b")]), [0, 0]);
    assert.equal((await store.list()).length, 31, "no tag lost to a race");
    assert.deepEqual(
      (await readdir(join(store.root, "locks"))).filter((n) => n.endsWith(".lock")),
      [],
      "locks released",
    );
  }));

test("a lock left by a killed process is taken over", async () => {
  const dir = await mkdtemp(join(tmpdir(), "hangar-lock-"));
  try {
    const path = join(dir, "x.lock");
    const child = spawn(process.execPath, ["-e", "setTimeout(()=>{},10000)"]);
    await writeFile(path, `${child.pid} abc\n`);
    const lock = new FileLock(path, 10);
    const signal = AbortSignal.timeout(20000);
    // Held by a live process: not acquired yet.
    const acquiring = lock.acquire(signal);
    const early = await Promise.race([
      acquiring.then(() => "got"),
      new Promise((r) => setTimeout(() => r("waiting"), 200)),
    ]);
    assert.equal(early, "waiting");
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const release = await acquiring;
    assert.match(await readFile(path, "utf8"), new RegExp(`^${process.pid} `));
    await release();
    assert.equal(existsSync(path), false);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("resolve follows a reference moved to another model, also by another process's store", () =>
  withStore(async (store, dir) => {
    const a = await writeTinyModel(join(dir, "a.gguf"), { seed: 1 });
    const b = await writeTinyModel(join(dir, "b.gguf"), { seed: 2 });
    await importGguf(store, a, "one/a");
    await importGguf(store, b, "one/b");
    await store.tag("one/a", "moving/x:1");
    const first = await store.resolve("moving/x:1");
    assert.equal(await store.resolve("moving/x:1"), first, "unchanged index: the cached answer");
    await new ModelStore({ root: store.root }).tag("one/b", "moving/x:1");
    const second = await store.resolve("moving/x:1");
    assert.notEqual(second.ggufPaths[0], first.ggufPaths[0]);
    assert.equal(second.ggufPaths[0], (await store.resolve("one/b")).ggufPaths[0]);
  }));
