/**
 * The container image as a user runs it: built from the Containerfile (on a local base where the public
 * one cannot be pulled), a model pulled into /data from a loopback registry, then `hangar serve` inside
 * it: /health, a completion with the key, 401 without it, the runner's process not root.
 * Run with `npm run test:container` (root and buildah needed; otherwise it says why and skips).
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { chown, chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTinyModel } from "../../testkit/gguf-writer.ts";
import { freePort, startRegistry, type RunningRegistry } from "../../testkit/registry.ts";
import {
  REPO_ROOT,
  baseImage,
  buildImage,
  runArgs,
  runCommand,
  whyContainerTestCannotRun,
} from "./buildah.ts";

const IMAGE = "localhost/hangar:test";
const UID = 10001;
const KEY = "container-test-key-0123456789";
const cannotRun = whyContainerTestCannotRun();
if (cannotRun) console.log(`# container test skipped: ${cannotRun}`);
const log = (line: string) => console.log(`# ${line}`);

let registry: RunningRegistry;
let dir: string;
let data: string;
let ctr = "";
let serve: ChildProcess | undefined;
let serveOutput = "";
let url = "";
let model = "";
const started = Date.now();

const cli = (home: string, ...args: string[]) =>
  new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(REPO_ROOT, "electron/cli/index.ts"), ...args],
      {
        env: { ...process.env, HANGAR_HOME: home, DOCKER_CONFIG: join(home, "docker") },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, out }));
  });

const inContainer = (env: Record<string, string>, command: string[]) =>
  runCommand("buildah", runArgs(ctr, env, [`${data}:/data`], command), { timeoutMs: 120_000 });

before(async () => {
  if (cannotRun) return;
  dir = await mkdtemp(join(tmpdir(), "hangar-container-"));
  const base = await baseImage(log);
  log(`building ${IMAGE} on ${base}`);
  const buildStart = Date.now();
  await buildImage(base, IMAGE, log);
  log(`image built in ${((Date.now() - buildStart) / 1000).toFixed(1)} s`);

  registry = await startRegistry();
  model = `${registry.host}/team/tiny:1`;
  const publisher = join(dir, "publisher");
  const gguf = await writeTinyModel(join(dir, "tiny.gguf"), { seed: 2, contextLength: 1024 });
  for (const args of [
    ["import", gguf, "--name", model],
    ["push", model],
  ]) {
    const r = await cli(publisher, ...args);
    assert.equal(r.code, 0, r.out);
  }

  // The volume belongs to the image's user, as a fresh named volume does in Docker and Podman.
  data = join(dir, "data");
  await mkdir(data);
  await chown(data, UID, UID);
  await chmod(data, 0o700);
  const from = await runCommand("buildah", ["from", "--quiet", "--pull-never", IMAGE]);
  assert.equal(from.code, 0, from.stderr);
  ctr = from.stdout.trim();
  // buildah run mounts its own directory over the image's declared VOLUME, hiding a --volume at the same
  // path; without the declaration here, /data is the test's directory, as `docker run -v` makes it.
  const config = await runCommand("buildah", ["config", "--volume", "/data-", ctr]);
  assert.equal(config.code, 0, config.stderr);
});

after(async () => {
  if (serve && serve.exitCode === null) {
    serve.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 100));
    await Promise.race([
      new Promise((r) => serve!.once("exit", r)),
      new Promise((r) => setTimeout(r, 10_000)),
    ]);
    if (serve.exitCode === null) serve.kill("SIGKILL");
  }
  if (ctr) await runCommand("buildah", ["rm", ctr]);
  await registry?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  if (!cannotRun) log(`container test took ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
});

test(
  "the image: non-root user, /data volume as HANGAR_HOME, 0.0.0.0, HEALTHCHECK, OCI labels",
  { skip: cannotRun ?? false },
  async () => {
    const inspected = await runCommand("buildah", ["inspect", "--type", "image", IMAGE]);
    assert.equal(inspected.code, 0, inspected.stderr);
    const config = (JSON.parse(JSON.parse(inspected.stdout).Config) as { config: ImageConfig }).config;
    assert.equal(config.User, `${UID}:${UID}`);
    assert.deepEqual(Object.keys(config.Volumes ?? {}), ["/data"]);
    assert.ok(config.Env.includes("HANGAR_HOME=/data"));
    assert.ok(config.Env.includes("HANGAR_HOST=0.0.0.0"));
    assert.ok(config.Env.includes("HANGAR_GPU=cpu"));
    assert.deepEqual(config.Entrypoint, ["node", "/app/bin/hangar.js"]);
    assert.deepEqual(config.Cmd, ["serve"]);
    assert.match(config.Healthcheck?.Test.join(" ") ?? "", /healthcheck\.mjs/);
    assert.equal(config.Labels["org.opencontainers.image.title"], "Hangar");
    assert.ok(config.Labels["org.opencontainers.image.version"]);
    assert.ok(config.ExposedPorts?.["11987/tcp"]);

    const id = await inContainer({}, ["id", "-u"]);
    assert.equal(id.code, 0, id.stderr);
    assert.equal(id.stdout.trim(), String(UID), "commands in the image run as its own user, not root");
  },
);

test("without an API key the runner refuses to listen on 0.0.0.0", { skip: cannotRun ?? false }, async () => {
  const r = await inContainer({ HANGAR_PORT: String(await freePort()) }, ["hangar", "serve"]);
  assert.notEqual(r.code, 0);
  assert.match(r.stdout + r.stderr, /refusing to listen on 0\.0\.0\.0 without an API key/);
});

test(
  "hangar pull puts the model into /data, owned by the image's user",
  { skip: cannotRun ?? false },
  async () => {
    const r = await inContainer({}, ["hangar", "pull", model]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const files = await filesUnder(join(data, "models"));
    const gguf = (await stat(join(dir, "tiny.gguf"))).size;
    const sizes = await Promise.all(files.map(async (f) => ({ f, st: await stat(f) })));
    assert.ok(
      sizes.some(({ st }) => st.size === gguf),
      "the weights are in the store under /data",
    );
    for (const { f, st } of sizes) assert.equal(st.uid, UID, `${f} written by uid ${UID}`);
    assert.ok(
      files.some((f) => f.endsWith("index.json")),
      "the store's index is on the volume",
    );
    const ls = await inContainer({}, ["hangar", "ls"]);
    assert.match(ls.stdout, /team\/tiny/);
  },
);

test(
  "hangar serve in the container: /health, HEALTHCHECK, a completion with the key, 401 without",
  { skip: cannotRun ?? false },
  async () => {
    const writtenBefore = await containerWrites();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    await writeFile(join(dir, "api_key"), `${KEY}\n`, { mode: 0o644 });
    serve = spawn(
      "buildah",
      runArgs(
        ctr,
        {
          HANGAR_PORT: String(port),
          HANGAR_THREADS: "2",
          HANGAR_CONTEXT_SIZE: "512",
          HANGAR_API_KEYS_FILE: "/run/secrets/hangar_api_key",
          HANGAR_CORS_ORIGINS: "http://app.example.test:8080",
        },
        [`${data}:/data`, `${join(dir, "api_key")}:/run/secrets/hangar_api_key:ro`],
        ["hangar", "serve"],
      ),
      { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    serve.stdout!.on("data", (d: Buffer) => (serveOutput += d.toString()));
    serve.stderr!.on("data", (d: Buffer) => (serveOutput += d.toString()));
    await waitForHealth(url, () => serveOutput);

    const health = await fetch(`${url}/health`);
    assert.equal(health.status, 200, "no key needed for /health");
    const check = await inContainer({ HANGAR_PORT: String(port) }, [
      "node",
      "/app/deploy/container/healthcheck.mjs",
    ]);
    assert.equal(check.code, 0, `the image's HEALTHCHECK passes: ${check.stderr}`);

    const anonymous = await fetch(`${url}/v1/models`);
    assert.equal(anonymous.status, 401, "a request without the key is refused");
    const wrong = await fetch(`${url}/v1/models`, {
      headers: { authorization: "Bearer not-the-key-at-all" },
    });
    assert.equal(wrong.status, 401);
    const models = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${KEY}` } });
    assert.equal(models.status, 200);
    assert.ok(((await models.json()) as { data: { id: string }[] }).data.some((m) => m.id === model));

    const reply = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ model, messages: [{ role: "user", content: "hello" }], max_tokens: 4 }),
    });
    const body = (await reply.json()) as { choices?: { message: { content: string } }[] };
    assert.equal(reply.status, 200, JSON.stringify(body));
    assert.ok((body.choices?.[0]?.message.content ?? "").length > 0, "the model answered");

    // The allowed origin from HANGAR_CORS_ORIGINS gets CORS headers; another origin is refused.
    const preflight = (origin: string) =>
      fetch(`${url}/v1/chat/completions`, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization",
        },
      });
    const allowed = await preflight("http://app.example.test:8080");
    assert.equal(allowed.headers.get("access-control-allow-origin"), "http://app.example.test:8080");
    assert.equal((await preflight("http://elsewhere.example.test")).status, 403);

    // The runner and its inference worker run as the image's user.
    const uids = await processUids(IN_IMAGE_PROCESS);
    assert.ok(uids.length > 0, "the runner's process is visible");
    assert.deepEqual([...new Set(uids)], [UID]);

    // Nothing but /data (the volume) and /tmp was written: the image runs with a read-only root filesystem.
    const written = (await containerWrites()).filter(
      // buildah itself makes the secret's mount point.
      (p) =>
        !writtenBefore.includes(p) &&
        !/^\/tmp(\/|$)/.test(p) &&
        !["/run/secrets", "/run/secrets/hangar_api_key"].includes(p),
    );
    assert.deepEqual(written, [], "files written outside /data and /tmp");

    serve!.kill("SIGTERM");
    await new Promise((r) => serve!.once("exit", r));
    assert.deepEqual(await processUids(IN_IMAGE_PROCESS), [], "the runner and its workers are gone");
  },
);

/** Paths the working container wrote to its own filesystem (overlay's upper directory), volumes excluded. */
async function containerWrites(): Promise<string[]> {
  const mounted = await runCommand("buildah", ["mount", ctr]);
  assert.equal(mounted.code, 0, mounted.stderr);
  const upper = join(mounted.stdout.trim(), "..", "diff");
  const paths = (await filesUnder(upper, true)).map((p) => p.slice(upper.length));
  await runCommand("buildah", ["umount", ctr]);
  return paths.sort();
}

interface ImageConfig {
  User: string;
  Env: string[];
  Entrypoint: string[];
  Cmd: string[];
  Volumes?: Record<string, unknown>;
  ExposedPorts?: Record<string, unknown>;
  Healthcheck?: { Test: string[] };
  Labels: Record<string, string>;
}

async function waitForHealth(base: string, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (serve?.exitCode !== null) throw new Error(`hangar serve exited (${serve?.exitCode}):\n${output()}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no /health answer in 60 s:\n${output()}`);
}

/** The runner (started as `hangar`, a link to /app/bin/hangar.js) and its inference workers, by their paths in the image. */
const IN_IMAGE_PROCESS = /^\/(usr\/local\/bin\/hangar|app\/bin\/hangar\.js|app\/dist\/runner\/worker\.js)$/;

/** Uids of this machine's processes with an argument matching `needle` (chroot isolation shares the PID space). */
async function processUids(needle: RegExp): Promise<number[]> {
  const uids: number[] = [];
  for (const pid of await readdir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (!cmdline.split("\0").some((arg) => needle.test(arg))) continue;
    const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
    const m = /^Uid:\s+(\d+)/m.exec(status);
    if (m) uids.push(Number(m[1]));
  }
  return uids;
}

async function filesUnder(root: string, withDirectories = false): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) {
      if (withDirectories) out.push(path);
      out.push(...(await filesUnder(path, withDirectories)));
    } else out.push(path);
  }
  return out;
}
