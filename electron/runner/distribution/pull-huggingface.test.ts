import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTinyModel } from "../../../testkit/gguf-writer.ts";
import { startHfServer } from "../../../testkit/hf-server.ts";
import type { HfServer } from "../../../testkit/hf-server.ts";
import { ModelStore } from "../store/model-store.ts";
import { pullModel } from "./pull.ts";

let hf: HfServer;
let dir: string;
let q4: Buffer;
let q8: Buffer;
let mmproj: Buffer;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "hangar-hfpull-"));
  q4 = await readFile(await writeTinyModel(join(dir, "q4.gguf"), { seed: 31 }));
  q8 = await readFile(await writeTinyModel(join(dir, "q8.gguf"), { seed: 32, matrixType: "Q8_0" }));
  mmproj = await readFile(await writeTinyModel(join(dir, "mm.gguf"), { seed: 33 }));
  hf = await startHfServer({
    token: "hf_secret",
    cdnDrop: { afterBytes: 50_000, times: 1 },
    repos: [
      {
        id: "tester/Tiny-GGUF",
        files: [
          { path: "tiny-Q4_K_M.gguf", content: q4 },
          { path: "tiny-Q8_0.gguf", content: q8 },
          { path: "mmproj-tiny-f16.gguf", content: mmproj },
          { path: "README.md", content: "# tiny" },
        ],
      },
    ],
  });
});
after(async () => {
  await hf?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A store with pulls that reach the Hugging Face fixture. */
function store(name: string) {
  const env = {
    ...process.env,
    HF_ENDPOINT: hf.endpoint,
    HF_TOKEN: "hf_secret",
    HANGAR_HOME: join(dir, name),
  };
  const models = new ModelStore({ root: join(dir, name, "models") });
  return Object.assign(models, { pull: (ref: string) => pullModel(models, ref, { env }) });
}

test("hf.co pulls pick the quant, bring the mmproj, verify LFS sha256, and resume a dropped connection", async () => {
  const s = store("a");
  const model = await s.pull("hf.co/tester/Tiny-GGUF:q8_0");
  assert.equal(model.ref, "hf.co/tester/Tiny-GGUF:Q8_0");
  assert.equal(model.format, "huggingface");
  assert.equal(model.source, "huggingface");
  assert.equal(model.architecture, "llama");
  const resolved = await s.resolve("hf.co/tester/Tiny-GGUF:Q8_0");
  assert.deepEqual(await readFile(resolved.ggufPaths[0]!), q8);
  assert.ok(resolved.mmprojPath);
  assert.deepEqual(await readFile(resolved.mmprojPath), mmproj);
  // The token went to the endpoint, never to the CDN.
  assert.ok(hf.requests.some((r) => r.server === "api" && r.authorization === "Bearer hf_secret"));
  assert.ok(hf.requests.filter((r) => r.server === "cdn").every((r) => r.authorization === undefined));
  // The dropped connection was resumed with a Range request, not restarted.
  assert.ok(
    hf.requests.some((r) => r.server === "cdn" && r.range?.startsWith("bytes=") && r.range !== "bytes=0-"),
  );

  const def = await store("b").pull("hf.co/tester/Tiny-GGUF");
  assert.equal(def.quantization, "F16", "the default pick is Q4_K_M by name (the tiny file is F16 inside)");
  assert.deepEqual(await readFile((await store("b").resolve("hf.co/tester/Tiny-GGUF")).ggufPaths[0]!), q4);
});

test("Hugging Face errors are clear: unknown repo, unknown quant", async () => {
  const s = store("c");
  await assert.rejects(s.pull("hf.co/tester/Missing-GGUF"), /Missing-GGUF/);
  await assert.rejects(s.pull("hf.co/tester/Tiny-GGUF:IQ1_S"), /IQ1_S/);
  assert.deepEqual(await s.list(), []);
});
