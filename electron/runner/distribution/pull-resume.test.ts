import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile, stat, readdir } from "node:fs/promises";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTinyModel } from "../../../testkit/gguf-writer.ts";
import { startRegistry, startProxy } from "../../../testkit/registry.ts";
import type { RunningRegistry, ProxyOptions } from "../../../testkit/registry.ts";
import { ModelStore } from "../store/model-store.ts";
import { pushModel } from "./push-model.ts";
import { importGguf } from "./packaging/package-model.ts";
import { pullModel } from "./pull.ts";

let registry: RunningRegistry;
let dir: string;
let size: number;
let child: string;
const storeModule = new URL("../store/model-store.ts", import.meta.url).href;
const pullModule = new URL("./pull.ts", import.meta.url).href;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "hangar-resume-"));
  registry = await startRegistry();
  // About 8 MiB of weights: big enough to kill a throttled pull in the middle.
  const gguf = await writeTinyModel(join(dir, "w.gguf"), {
    seed: 21,
    embeddingLength: 256,
    blockCount: 2,
    feedForwardLength: 1024,
    matrixType: "F32",
  });
  size = (await stat(gguf)).size;
  const src = new ModelStore({ root: join(dir, "src") });
  await importGguf(src, gguf, `${registry.host}/big/model:1`);
  await pushModel(src, `${registry.host}/big/model:1`);
  child = join(dir, "pull-child.mts");
  await writeFile(
    child,
    `import { ModelStore } from ${JSON.stringify(storeModule)};
import { pullModel } from ${JSON.stringify(pullModule)};
const [root, ref, parts] = process.argv.slice(2);
const store = new ModelStore({ root });
await pullModel(store, ref, { parts: Number(parts), partThreshold: 1, onProgress: (p) => {
  if (p.phase === "downloading") process.stdout.write("bytes " + p.completedBytes + "\\n");
} });
process.stdout.write("done\\n");`,
  );
});
after(async () => {
  await registry?.close();
  await rm(dir, { recursive: true, force: true });
});

function runChild(
  root: string,
  ref: string,
  parts: number,
): { proc: ChildProcess; bytes: () => number; exit: Promise<number | null> } {
  const proc = spawn(process.execPath, ["--import", "tsx", child, root, ref, String(parts)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let last = 0;
  proc.stdout!.on("data", (d: Buffer) => {
    for (const m of d.toString().matchAll(/bytes (\d+)/g)) last = Number(m[1]);
  });
  const exit = new Promise<number | null>((r) => proc.on("exit", (code) => r(code)));
  return { proc, bytes: () => last, exit };
}

async function until(cond: () => boolean, what: string) {
  for (let i = 0; i < 600; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

for (const parts of [1, 4]) {
  test(`kill -9 in the middle of a pull (${parts} part${parts > 1 ? "s" : ""}), then resume: far less than the blob is re-downloaded`, async () => {
    // The proxy throttles each connection: split the same total rate between the parts.
    const options: ProxyOptions = { upstream: registry.url, throttle: Math.floor((2 << 20) / parts) };
    const proxy = await startProxy(options);
    const root = join(dir, `resume-${parts}`);
    const ref = `${proxy.host}/big/model:1`;
    try {
      const c = runChild(root, ref, parts);
      await until(() => c.bytes() > size * 0.4 || c.proc.exitCode !== null, "40% of the blob");
      c.proc.kill("SIGKILL");
      assert.equal(await c.exit, null, "killed before it finished");
      const before = proxy.blobBytes();
      assert.ok(before < size, "the kill came before the whole blob was served");
      options.throttle = 0;
      const store = new ModelStore({ root });
      assert.deepEqual(await store.list(), [], "a half-pulled model is not listed");
      const model = await pullModel(store, ref, { parts, partThreshold: 1 });
      const again = proxy.blobBytes() - before;
      assert.ok(again < size * 0.75, `re-downloaded ${again} of ${size} bytes`);
      assert.equal((await store.blobs.verify((await store.get(ref)).manifest.layers[0]!.digest)).ok, true);
      assert.equal(model.ref, ref);
      assert.deepEqual(await readdir(store.blobs.incomingDir), []);
    } finally {
      await proxy.close();
    }
  });
}

test("two processes pulling the same model at once: both succeed, the blob is fetched once", async () => {
  const proxy = await startProxy({ upstream: registry.url, throttle: 8 << 20 });
  const root = join(dir, "concurrent");
  const ref = `${proxy.host}/big/model:1`;
  try {
    const a = runChild(root, ref, 1);
    const b = runChild(root, ref, 1);
    assert.deepEqual(await Promise.all([a.exit, b.exit]), [0, 0]);
    const store = new ModelStore({ root });
    assert.deepEqual(
      (await store.list()).map((m) => m.ref),
      [ref],
    );
    assert.ok(proxy.blobBytes() < size * 1.5, `served ${proxy.blobBytes()} bytes for a ${size}-byte blob`);
    assert.equal((await store.fsck()).broken.length, 0);
  } finally {
    await proxy.close();
  }
});
