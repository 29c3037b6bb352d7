import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { mkdtemp, rm, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { writeTinyModel, parameterCount, CHATML_TEMPLATE } from "../../../testkit/gguf-writer.ts";
import { readGgufSummary, dockerGgufConfigMap, formatParameters, GgufReadError } from "./metadata.ts";

let dir: string;
let small: string;
let big: string;
const bigOptions = {
  seed: 7,
  embeddingLength: 256,
  blockCount: 4,
  headCount: 8,
  headCountKv: 2,
  feedForwardLength: 512,
  vocabSize: 2048,
};

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "hangar-gguf-"));
  small = await writeTinyModel(join(dir, "small.gguf"), { seed: 3, contextLength: 1024 });
  big = await writeTinyModel(join(dir, "big.gguf"), bigOptions);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("summarises a local GGUF", async () => {
  const s = await readGgufSummary(small);
  assert.equal(s.architecture, "llama");
  assert.equal(s.quantization, "F16");
  assert.equal(s.parameterCount, parameterCount({ seed: 3 }));
  assert.equal(s.contextLength, 1024);
  assert.equal(s.embeddingLength, 64);
  assert.equal(s.blockCount, 2);
  assert.equal(s.headCount, 4);
  assert.equal(s.headCountKv, 4);
  assert.equal(s.vocabSize, 320);
  assert.equal(s.chatTemplate, CHATML_TEMPLATE);
  const size = (await readFile(small)).length;
  assert.equal(s.fileSize, size);
  assert.ok(s.tensorBytes > 0 && s.tensorBytes < size);
});

test("names Q8_0 files and reads file: URLs", async () => {
  const q8 = await writeTinyModel(join(dir, "q8.gguf"), { seed: 4, matrixType: "Q8_0" });
  const s = await readGgufSummary(new URL(`file://${q8}`));
  assert.equal(s.quantization, "Q8_0");
});

test("formats parameter counts like model tags", () => {
  assert.equal(formatParameters(134_515_008), "135M");
  assert.equal(formatParameters(1_235_814_400), "1.2B");
  assert.equal(formatParameters(20_914_757_184), "21B");
  assert.equal(formatParameters(94_208), "94K");
});

test("docker config map: values as strings, long arrays skipped", async () => {
  const s = await readGgufSummary(small);
  const map = dockerGgufConfigMap(s.metadata);
  assert.equal(map["general.architecture"], "llama");
  assert.equal(map["llama.block_count"], "2");
  assert.equal(map["tokenizer.ggml.add_bos_token"], "true");
  assert.equal(map["tokenizer.ggml.tokens"], undefined, "320 tokens is over the 50-item limit");
  assert.ok(!("version" in map) && !("tensor_count" in map));
  assert.equal(dockerGgufConfigMap({ "x.list": [1, 2, 3] })["x.list"], "[1 2 3]");
  for (const v of Object.values(map)) assert.equal(typeof v, "string");
});

test("a missing or non-GGUF local file gives a clear error", async () => {
  await assert.rejects(readGgufSummary(join(dir, "nope.gguf")), GgufReadError);
  const junk = join(dir, "junk.gguf");
  await (await import("node:fs/promises")).writeFile(junk, "not a model at all".repeat(10));
  await assert.rejects(readGgufSummary(junk), /GGUF magic/);
});

test("remote read over HTTP fetches only the header with Range requests", async (t) => {
  const body = await readFile(big);
  assert.ok(
    body.length > 5_000_000,
    `the test model must be larger than the parser's chunks (${body.length})`,
  );
  let served = 0;
  const ranges: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const server: Server = createServer((req, res) => {
    authorizations.push(req.headers.authorization);
    if (req.url === "/missing.gguf") {
      res.writeHead(404).end("no");
      return;
    }
    const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? "");
    if (req.url === "/norange.gguf" || !m) {
      res.writeHead(200, { "Content-Length": body.length });
      res.end(body);
      return;
    }
    ranges.push(req.headers.range!);
    const start = Number(m[1]);
    const end = Math.min(Number(m[2]), body.length - 1);
    served += end - start + 1;
    res.writeHead(206, {
      "Content-Range": `bytes ${start}-${end}/${body.length}`,
      "Content-Length": end - start + 1,
    });
    res.end(body.subarray(start, end + 1));
  });
  server.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const remote = await readGgufSummary(`${base}/big.gguf`, { headers: { Authorization: "Bearer t0k" } });
  const local = await readGgufSummary(big);
  assert.equal(remote.parameterCount, local.parameterCount);
  assert.equal(remote.headCountKv, 2);
  assert.equal(remote.fileSize, body.length);
  assert.equal(remote.tensorBytes, local.tensorBytes);
  assert.ok(ranges.length >= 1 && ranges[0]!.startsWith("bytes=0-"));
  assert.ok(served < body.length / 2, `fetched ${served} of ${body.length} bytes`);
  assert.equal(authorizations[0], "Bearer t0k");

  await assert.rejects(readGgufSummary(`${base}/missing.gguf`), /HTTP 404/);
  await assert.rejects(readGgufSummary(`${base}/norange.gguf`), /ignored the Range request/);
});
