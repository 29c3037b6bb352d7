import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm as remove, readFile } from "node:fs/promises";
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeTinyModel } from "../../../testkit/gguf-writer.ts";
import { startRegistry } from "../../../testkit/registry.ts";
import type { RunningRegistry } from "../../../testkit/registry.ts";
import { refFromFileName } from "./import.ts";
import { toolRoots, writeHfCacheRepo, writeOllamaModel } from "../../../testkit/tool-stores.ts";
import { registryHost } from "./login.ts";
import { main } from "../cli.ts";

const cli = fileURLToPath(new URL("../index.ts", import.meta.url));
let registry: RunningRegistry;
let dir: string;
let gguf: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "hangar-cli-store-"));
  gguf = await writeTinyModel(join(dir, "SmolTiny-Q8_0.gguf"), { seed: 41 });
  registry = await startRegistry({ auth: { user: "ci", password: "pw" } });
});
after(async () => {
  await registry?.close();
  await remove(dir, { recursive: true, force: true });
});

/** Runs the CLI in a child process (needed where stdin is read: login --password-stdin). */
function spawned(
  home: string,
  args: string[],
  stdin: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", cli, ...args], {
      env: { ...process.env, HANGAR_HOME: home, HOME: home, DOCKER_CONFIG: join(home, "docker") },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/**
 * Runs the CLI in this process (fast), capturing its output, with HANGAR_HOME and HOME pointing at `home`
 * (HOME: other tools' model folders are read from there, not from the machine's).
 */
async function hangar(
  home: string,
  args: string[],
  stdin?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (stdin !== undefined) return spawned(home, args, stdin);
  const saved = { home: process.env.HANGAR_HOME, docker: process.env.DOCKER_CONFIG, user: process.env.HOME };
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  let stdout = "";
  let stderr = "";
  process.env.HANGAR_HOME = home;
  process.env.HOME = home;
  process.env.DOCKER_CONFIG = join(home, "docker");
  process.stdout.write = ((chunk: string | Uint8Array) => (
    (stdout += String(chunk)),
    true
  )) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (
    (stderr += String(chunk)),
    true
  )) as typeof process.stderr.write;
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } catch (e) {
    return { code: 1, stdout, stderr: stderr + `hangar: ${(e as Error).message}\n` };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    for (const [k, v] of [
      ["HANGAR_HOME", saved.home],
      ["DOCKER_CONFIG", saved.docker],
      ["HOME", saved.user],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

test("import, ls, tag, inspect, login, package --push, pull (plain progress lines), df, fsck, rm", async () => {
  const a = join(dir, "a");
  const imported = await hangar(a, ["import", gguf]);
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stdout, /imported local\/smoltiny-q8_0:latest sha256:/);

  assert.equal((await hangar(a, ["tag", "local/smoltiny-q8_0", "mine/tiny:v1"])).code, 0);
  const tagHelp = await hangar(a, ["tag", "--help"]);
  assert.equal(tagHelp.code, 0);
  assert.match(tagHelp.stdout, /As with `docker tag`, a TARGET that\nalready names another model now names/);
  const listed = JSON.parse((await hangar(a, ["ls", "--json"])).stdout) as { ref: string }[];
  assert.deepEqual(listed.map((m) => m.ref).sort(), ["local/smoltiny-q8_0:latest", "mine/tiny:v1"]);

  const inspected = await hangar(a, ["inspect", "mine/tiny:v1"]);
  assert.equal(inspected.code, 0, inspected.stderr);
  assert.match(inspected.stdout, /application\/vnd\.docker\.ai\.gguf\.v3/);
  assert.match(inspected.stdout, /general\.architecture = "llama"/);
  assert.match(inspected.stdout, /memory:/);

  const ref = `${registry.host}/ci/tiny:1`;
  const denied = await hangar(a, ["package", "--gguf", gguf, "--context-size", "128", "--push", ref]);
  assert.equal(denied.code, 1);
  assert.match(
    denied.stderr,
    new RegExp(`hangar: .*authentication required; run: hangar login ${registry.host.replace(/\./g, "\\.")}`),
  );
  const badLogin = await hangar(a, ["login", registry.host, "-u", "ci", "--password-stdin"], "wrong\n");
  assert.equal(badLogin.code, 1);
  assert.match(badLogin.stderr, /refused the credentials/);
  const login = await hangar(a, ["login", registry.host, "-u", "ci", "--password-stdin"], "pw\n");
  assert.equal(login.code, 0, login.stderr);
  const creds = JSON.parse(await readFile(join(a, "credentials.json"), "utf8")) as {
    auths: Record<string, unknown>;
  };
  assert.ok(creds.auths[registry.host]);
  const pushed = await hangar(a, ["package", "--gguf", gguf, "--context-size", "128", "--push", ref]);
  assert.equal(pushed.code, 0, pushed.stderr);
  assert.match(pushed.stdout, /pushed .*: 2 uploaded/);

  const b = join(dir, "b");
  const anonymous = await hangar(b, ["pull", ref]);
  assert.equal(anonymous.code, 1);
  assert.match(anonymous.stderr, /authentication required/);
  // Credentials copied the way a user would have them from `docker login`.
  const { mkdir, writeFile } = await import("node:fs/promises");
  await mkdir(join(b, "docker"), { recursive: true });
  await writeFile(
    join(b, "docker", "config.json"),
    JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from("ci:pw").toString("base64") } } }),
  );
  const pulled = await hangar(b, ["pull", ref]);
  assert.equal(pulled.code, 0, pulled.stderr);
  assert.match(pulled.stderr, /resolving/);
  assert.match(pulled.stderr, /100% /);
  assert.match(pulled.stderr, /: done/);
  assert.ok(!pulled.stderr.includes("\u001b["), "no terminal codes when stderr is not a TTY");

  const df = JSON.parse((await hangar(b, ["df", "--json"])).stdout) as { models: number; blobs: number };
  assert.deepEqual([df.models, df.blobs], [1, 3]);
  const fsck = await hangar(b, ["fsck"]);
  assert.equal(fsck.code, 0);
  assert.match(fsck.stdout, /checked 3 blobs: 0 broken/);
  const removed = await hangar(b, ["rm", ref, "nope/missing"]);
  assert.equal(removed.code, 1);
  assert.match(removed.stdout, /removed /);
  assert.match(removed.stderr, /"nope\/missing" is not installed/);
  assert.match(removed.stdout, /0 models, 0 B in the store/);

  const logout = await hangar(a, ["logout", registry.host]);
  assert.match(logout.stdout, /logged out of/);
});

test("helpers: file names become references, registry hosts are normalised", () => {
  assert.equal(refFromFileName("/x/SmolLM2-135M-Instruct-Q4_K_M.gguf"), "local/smollm2-135m-instruct-q4_k_m");
  assert.equal(refFromFileName("/x/Big Model-00001-of-00003.gguf"), "local/big-model");
  assert.equal(registryHost(undefined), "docker.io");
  assert.equal(registryHost("https://ghcr.io"), "ghcr.io");
  assert.equal(registryHost("127.0.0.1:5000"), "127.0.0.1:5000");
  assert.throws(() => registryHost("hf.co"), /HF_TOKEN/);
});

test("models other tools keep: ls SOURCE, rm refuses, adopt copies, export --to ollama", async () => {
  const home = join(dir, "tools");
  const roots = toolRoots(home);
  await writeOllamaModel(roots.ollama, { name: "library/gemma3", tag: "1b", gguf });
  await writeHfCacheRepo(roots.hfHub, "acme", "Tiny-GGUF", { "tiny-Q8_0.gguf": gguf });
  const table = await hangar(home, ["ls"]);
  assert.match(table.stdout, /^MODEL\s+SOURCE\s+DIGEST/m);
  assert.match(table.stdout, /^registry\.ollama\.ai\/library\/gemma3:1b\s+ollama\s/m);
  assert.match(table.stdout, /^hf\.co\/acme\/Tiny-GGUF:Q8_0\s+huggingface-cache\s/m);
  const json = JSON.parse((await hangar(home, ["ls", "--json"])).stdout) as {
    ref: string;
    source: string;
    location?: string;
  }[];
  assert.deepEqual(
    json.map((m) => [m.ref, m.source, m.location]),
    [
      ["hf.co/acme/Tiny-GGUF:Q8_0", "huggingface-cache", join(roots.hfHub, "models--acme--Tiny-GGUF")],
      ["registry.ollama.ai/library/gemma3:1b", "ollama", roots.ollama],
    ],
  );
  const refused = await hangar(home, ["rm", "ollama.com/gemma3:1b"]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /belongs to Ollama .* does not delete another tool's files/);

  const adopted = await hangar(home, ["adopt", "hf.co/acme/Tiny-GGUF"]);
  assert.equal(adopted.code, 0, adopted.stderr);
  assert.match(adopted.stdout, /hf\.co\/acme\/Tiny-GGUF:Q8_0 sha256:\w+ .*sha256 verified/);
  assert.match((await hangar(home, ["ls"])).stdout, /^hf\.co\/acme\/Tiny-GGUF:Q8_0\s+hangar\s/m);

  const exported = await hangar(home, ["export", "--to", "ollama", "hf.co/acme/Tiny-GGUF:Q8_0"]);
  assert.equal(exported.code, 0, exported.stderr);
  assert.match(exported.stdout, /^hf\.co\/acme\/Tiny-GGUF:Q8_0 \(/);
  const again = await hangar(home, ["export", "--to", "ollama", "hf.co/acme/Tiny-GGUF:Q8_0"]);
  assert.match(again.stderr, /Ollama already has/);
});
