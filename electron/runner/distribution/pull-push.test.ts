import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, readFile, writeFile, mkdir, readdir } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTinyModel } from "../../../testkit/gguf-writer.ts";
import { startRegistry, startProxy } from "../../../testkit/registry.ts";
import type { RunningRegistry } from "../../../testkit/registry.ts";
import { ModelStore } from "../store/model-store.ts";
import { sha256Digest } from "../store/blob-store.ts";
import { pushModel } from "./push-model.ts";
import { pullModel, type PullOptions } from "./pull.ts";
import { OciClient } from "./registry/oci-client.ts";
import * as mt from "../artifact/media-types.ts";
import { writeCredentialHelper } from "../../../testkit/credential-helper.ts";
import { importGguf } from "./packaging/package-model.ts";

let registry: RunningRegistry;
let dir: string;
let gguf: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "hangar-pullpush-"));
  gguf = await writeTinyModel(join(dir, "tiny.gguf"), { seed: 11 });
  registry = await startRegistry();
});
after(async () => {
  await registry?.close();
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
/** A store on its own home, with pulls that look up credentials there. */
function newStore(extraEnv: Record<string, string> = {}) {
  const home = join(dir, `home${n++}`);
  const env = { ...process.env, HANGAR_HOME: home, DOCKER_CONFIG: join(home, "docker"), ...extraEnv };
  const store = new ModelStore({ root: join(home, "models") });
  return Object.assign(store, {
    env,
    pull: (ref: string, options: PullOptions = {}) => pullModel(store, ref, { env, ...options }),
  });
}

test("package, push, pull back: identical digests and bytes; skopeo reads what was pushed", async () => {
  const a = newStore();
  const ref = `${registry.host}/test/tiny:1`;
  const packaged = await importGguf(a, gguf, ref, {
    format: "docker",
    contextSize: 256,
    modelFormat: "docker",
  });
  const pushed = await pushModel(a, ref, { env: a.env });
  assert.equal(pushed.blobs.uploaded, 2);
  assert.equal(pushed.digest, packaged.digest);
  const again = await pushModel(a, ref, { env: a.env });
  assert.equal(again.blobs.exists, 2, "a second push skips blobs the registry has");

  const b = newStore();
  const phases: string[] = [];
  const pulled = await b.pull(ref, { onProgress: (p) => phases.push(p.phase) });
  assert.equal(pulled.digest, packaged.digest);
  assert.equal(pulled.format, "docker");
  assert.equal(pulled.contextLength, 256);
  assert.equal(pulled.source, registry.host);
  assert.deepEqual([phases[0], phases.at(-1)], ["resolving", "done"]);
  assert.ok(phases.includes("downloading"));
  assert.deepEqual(await readFile((await b.resolve(ref)).ggufPaths[0]!), await readFile(gguf));

  const raw = execFileSync("skopeo", ["inspect", "--raw", "--tls-verify=false", `docker://${ref}`], {
    encoding: "utf8",
  });
  assert.equal(sha256Digest(raw), packaged.digest);
  const out = join(dir, "skopeo-copy");
  execFileSync("skopeo", ["copy", "--src-tls-verify=false", `docker://${ref}`, `dir:${out}`], {
    stdio: "pipe",
  });
  const gguHex = (JSON.parse(raw) as { layers: { digest: string }[] }).layers[0]!.digest.slice(7);
  assert.deepEqual(await readFile(join(out, gguHex)), await readFile(gguf));

  // Cross-repository mount: pushing under another name in the same registry moves no bytes.
  const mounted = await pushModel(b, ref, { env: b.env, target: `${registry.host}/other/tiny:1` });
  assert.equal(mounted.blobs.uploaded, 0);
  assert.equal(mounted.blobs.mounted, 2);
});

test("CNCF ModelPack: package, push, pull", async () => {
  const a = newStore();
  const ref = `${registry.host}/test/cncf:1`;
  const packaged = await importGguf(a, gguf, ref, { format: "cncf", modelFormat: "cncf" });
  await pushModel(a, ref, { env: a.env });
  const b = newStore();
  const pulled = await b.pull(ref);
  assert.equal(pulled.format, "cncf");
  assert.equal(pulled.digest, packaged.digest);
  assert.equal(pulled.architecture, "llama");
  const manifest = (await b.get(ref)).manifest;
  assert.equal(manifest.artifactType, mt.CNCF_ARTIFACT);
  assert.equal(manifest.layers[0]!.mediaType, mt.CNCF_GGUF);
});

async function pushRaw(
  repo: string,
  tag: string,
  config: { mediaType: string; text: string },
  layers: { mediaType: string; data: Buffer | string }[],
  manifestType = mt.DOCKER_MANIFEST,
) {
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
    mediaType: manifestType,
    config: await desc(config.mediaType, config.text),
    layers: await Promise.all(layers.map((l) => desc(l.mediaType, l.data))),
  };
  const text = JSON.stringify(manifest);
  await client.putManifest(repo, tag, text, manifestType);
  return { text, digest: sha256Digest(text) };
}

test("Ollama format: model, template, params and system layers", async () => {
  const weights = await readFile(gguf);
  const config = JSON.stringify({
    model_format: "gguf",
    model_family: "llama",
    model_type: "123K",
    file_type: "F16",
    architecture: "amd64",
  });
  const { digest } = await pushRaw("library/tiny", "1b", { mediaType: mt.OLLAMA_CONFIG, text: config }, [
    { mediaType: mt.OLLAMA_MODEL, data: weights },
    { mediaType: mt.OLLAMA_TEMPLATE, data: "{{ .Prompt }}" },
    { mediaType: mt.OLLAMA_PARAMS, data: JSON.stringify({ stop: ["<|im_end|>"], temperature: 0.2 }) },
    { mediaType: mt.OLLAMA_SYSTEM, data: "You are terse." },
  ]);
  const s = newStore();
  const pulled = await s.pull(`${registry.host}/library/tiny:1b`);
  assert.equal(pulled.format, "ollama");
  assert.equal(pulled.digest, digest);
  assert.equal(pulled.architecture, "llama");
  assert.equal(pulled.quantization, "F16");
  const resolved = await s.resolve(`${registry.host}/library/tiny:1b`);
  assert.deepEqual(resolved.params, { stop: ["<|im_end|>"], temperature: 0.2 });
  assert.equal(resolved.systemPrompt, "You are terse.");
  assert.equal(resolved.chatTemplate, null, "Go templates are not Jinja");
  assert.deepEqual(await readFile(resolved.ggufPaths[0]!), weights);
});

test("an image index is resolved to its model manifest", async () => {
  const a = newStore();
  const ref = `${registry.host}/test/indexed:1`;
  const packaged = await importGguf(a, gguf, ref);
  await pushModel(a, ref, { env: a.env });
  const stored = await a.get(ref);
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: mt.OCI_INDEX,
    manifests: [
      { mediaType: mt.OCI_MANIFEST, digest: packaged.digest, size: Buffer.byteLength(stored.manifestText) },
    ],
  });
  await new OciClient({ registry: registry.host }).putManifest("test/indexed", "multi", index, mt.OCI_INDEX);
  const pulled = await newStore().pull(`${registry.host}/test/indexed:multi`);
  assert.equal(pulled.digest, packaged.digest);
});

test("clear errors: 404, not a model artifact, malformed reference", async () => {
  const s = newStore();
  await assert.rejects(
    s.pull(`${registry.host}/nothing/here:1`),
    (err: Error) => /not found/.test(err.message) && err.message.includes("nothing/here"),
  );
  await pushRaw(
    "plain/image",
    "1",
    { mediaType: "application/vnd.oci.image.config.v1+json", text: "{}" },
    [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", data: "not a model" }],
    mt.OCI_MANIFEST,
  );
  await assert.rejects(
    s.pull(`${registry.host}/plain/image:1`),
    /not a model artifact \(media types found: application\/vnd\.oci\.image\.config\.v1\+json, application\/vnd\.oci\.image\.layer\.v1\.tar\+gzip\)/,
  );
  await assert.rejects(s.pull("ai//broken"), /invalid model reference "ai\/\/broken"/);
  assert.deepEqual(await s.list(), []);
});

test("a corrupted blob is rejected and never enters the store", async () => {
  const a = newStore();
  const ref = `${registry.host}/test/corrupt:1`;
  // Its own weights: the registry stores a blob once, and this test damages it.
  const own = await writeTinyModel(join(dir, "corrupt.gguf"), { seed: 12 });
  await importGguf(a, own, ref);
  await pushModel(a, ref, { env: a.env });
  const layer = (await a.get(ref)).manifest.layers[0]!;
  const hex = layer.digest.slice(7);
  const data = join(registry.storage, "docker/registry/v2/blobs/sha256", hex.slice(0, 2), hex, "data");
  const bytes = await readFile(data);
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
  await writeFile(data, bytes);
  const b = newStore();
  await assert.rejects(
    b.pull(ref),
    (err: Error) => /corrupt/.test(err.message) && err.message.includes(layer.digest),
  );
  assert.equal(await b.blobs.has(layer.digest), false);
  assert.deepEqual(await b.list(), []);
  assert.deepEqual(
    (await readdir(b.blobs.incomingDir)).filter((f) => !f.endsWith(".json")),
    [],
  );
});

test("Basic auth (htpasswd): 401 without credentials names hangar login; credentials from ~/.docker/config.json work", async () => {
  const secured = await startRegistry({ auth: { user: "alice", password: "s3cret" } });
  try {
    const ref = `${secured.host}/team/tiny:1`;
    const a = newStore();
    await importGguf(a, gguf, ref);
    await assert.rejects(
      pushModel(a, ref, { env: a.env }),
      new RegExp(`authentication required; run: hangar login ${secured.host.replace(/\./g, "\\.")}`),
    );
    const dockerDir = a.env.DOCKER_CONFIG!;
    await mkdir(dockerDir, { recursive: true });
    await writeFile(
      join(dockerDir, "config.json"),
      JSON.stringify({ auths: { [secured.host]: { auth: Buffer.from("alice:s3cret").toString("base64") } } }),
    );
    const pushed = await pushModel(a, ref, { env: a.env });
    assert.equal(pushed.blobs.uploaded, 2);
    const b = newStore({ DOCKER_CONFIG: dockerDir });
    assert.equal((await b.pull(ref)).digest, pushed.digest);
    const wrong = newStore();
    await mkdir(wrong.env.DOCKER_CONFIG!, { recursive: true });
    await writeFile(
      join(wrong.env.DOCKER_CONFIG!, "config.json"),
      JSON.stringify({ auths: { [secured.host]: { auth: Buffer.from("alice:nope").toString("base64") } } }),
    );
    await assert.rejects(wrong.pull(ref), /stored credentials were refused/);
    // Docker Desktop keeps credentials in a helper: credsStore names it, auths holds only the host.
    const bin = join(dir, "helper-bin");
    await mkdir(bin, { recursive: true });
    await writeCredentialHelper(bin, "hangar-test", {
      [secured.host]: { username: "alice", secret: "s3cret" },
    });
    const viaHelper = newStore({ PATH: `${bin}:${process.env.PATH}` });
    await mkdir(viaHelper.env.DOCKER_CONFIG!, { recursive: true });
    await writeFile(
      join(viaHelper.env.DOCKER_CONFIG!, "config.json"),
      JSON.stringify({ credsStore: "hangar-test", auths: { [secured.host]: {} } }),
    );
    assert.equal((await viaHelper.pull(ref)).digest, pushed.digest);
  } finally {
    await secured.close();
  }
});

test("Bearer tokens from the WWW-Authenticate realm", async () => {
  const a = newStore();
  const direct = `${registry.host}/test/bearer:1`;
  await importGguf(a, gguf, direct);
  await pushModel(a, direct, { env: a.env });
  const proxy = await startProxy({ upstream: registry.url, bearer: {} });
  try {
    const s = newStore();
    const pulled = await s.pull(`${proxy.host}/test/bearer:1`);
    assert.equal(pulled.digest, (await a.get(direct)).entry.digest);
    assert.ok(proxy.tokensIssued() >= 1);
    assert.ok(proxy.scopes.includes("repository:test/bearer:pull"), proxy.scopes.join(" "));
  } finally {
    await proxy.close();
  }
  const locked = await startProxy({ upstream: registry.url, bearer: { user: "bob", password: "pw" } });
  try {
    await assert.rejects(newStore().pull(`${locked.host}/test/bearer:1`), /authentication required/);
  } finally {
    await locked.close();
  }
});
