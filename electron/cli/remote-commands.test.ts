// `hangar` against a runner in another HANGAR_HOME through HANGAR_URL (or --url) with a key, as a user
// runs it against a runner on another machine: pull, ls, tag, push, run, rm and df act on that runner,
// and this computer's store is left as it was.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTinyModel } from "../../testkit/gguf-writer.ts";
import { startRegistry, type RunningRegistry } from "../../testkit/registry.ts";
import { startTestRunner, TINY_MODEL, type TestRunner } from "../../testkit/runner.ts";

const CLI = join(import.meta.dirname, "index.ts");
const KEY = "remote-cli-key-0123456";
let registry: RunningRegistry;
let remote: TestRunner;
let localHome: string;
let published: string;

function hangar(args: string[], env: Record<string, string | undefined> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
      env: {
        ...process.env,
        HANGAR_HOME: localHome,
        DOCKER_CONFIG: join(localHome, "docker"),
        HANGAR_URL: remote.url,
        HANGAR_API_KEY: KEY,
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every file under the local home with its size and mtime: what "untouched" means. */
async function snapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const s = await stat(path);
    out.push(`${path} ${s.size} ${s.mtimeMs}`);
  }
  return out.sort();
}

before(async () => {
  registry = await startRegistry();
  remote = await startTestRunner({ apiKeys: [KEY] }, { name: "remote-cli" });
  localHome = await mkdtemp(join(tmpdir(), "hangar-local-cli-"));
  // A model on this computer, and one published to the team's registry.
  const gguf = await writeTinyModel(join(localHome, "mine.gguf"), { seed: 5 });
  published = `${registry.host}/team/published:1`;
  for (const args of [
    ["import", gguf, "--name", "local/mine:1"],
    ["import", gguf, "--name", published],
    ["push", published],
    ["rm", published],
  ]) {
    const r = await hangar(args, { HANGAR_URL: undefined });
    assert.equal(r.code, 0, r.stderr);
  }
});
after(async () => {
  await remote?.close();
  await registry?.close();
  if (localHome) await rm(localHome, { recursive: true, force: true });
});

test("pull, ls, tag, push, run, rm and df act on the remote runner; the local store is untouched", async () => {
  const before = await snapshot(localHome);
  const remoteRefs = async () => (await remote.library.list()).map((m) => m.ref).sort();

  const pulled = await hangar(["pull", published]);
  assert.equal(pulled.code, 0, pulled.stderr);
  assert.match(pulled.stderr, /100%/, "a progress bar over the API");
  assert.match(pulled.stdout, new RegExp(`^${published} sha256:[0-9a-f]{64} `));
  assert.deepEqual(await remoteRefs(), [published, TINY_MODEL].sort());

  const listed = await hangar(["ls"]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /^MODEL\s+SOURCE\s+DIGEST\s+SIZE\s+FORMAT/);
  assert.ok(listed.stdout.includes(published) && listed.stdout.includes(TINY_MODEL));
  assert.ok(!listed.stdout.includes("local/mine:1"), "the local model is not listed");

  const tagged = await hangar(["tag", published, "team/alias:2"]);
  assert.equal(tagged.code, 0, tagged.stderr);
  assert.ok((await remoteRefs()).includes("team/alias:2"));

  const copy = `${registry.host}/team/copy:1`;
  const pushed = await hangar(["push", "team/alias:2", "--to", copy]);
  assert.equal(pushed.code, 0, pushed.stderr);
  assert.match(pushed.stdout, new RegExp(`^pushed ${copy} sha256:`));
  const manifest = await fetch(`${registry.url}/v2/team/copy/manifests/1`, {
    headers: { accept: "application/vnd.oci.image.manifest.v1+json" },
  });
  assert.equal(manifest.status, 200, "the remote runner pushed to the registry");

  const ran = await hangar(["run", TINY_MODEL, "hello", "--max-tokens", "4"]);
  assert.equal(ran.code, 0, ran.stderr);
  assert.ok(ran.stdout.trim().length > 0);

  const removed = await hangar(["rm", "team/alias:2", published]);
  assert.equal(removed.code, 0, removed.stderr);
  assert.deepEqual(await remoteRefs(), [TINY_MODEL]);
  assert.match(removed.stdout, /^1 models, /m);

  const df = await hangar(["df"]);
  assert.equal(df.code, 0, df.stderr);
  assert.match(df.stdout, new RegExp(`store\\s+the runner at ${remote.url}`));

  assert.deepEqual(await snapshot(localHome), before, "nothing changed in the local HANGAR_HOME");
  const local = await hangar(["ls"], { HANGAR_URL: undefined });
  assert.match(local.stdout, /local\/mine:1/);
  assert.doesNotMatch(local.stdout, /local\/tiny:1/);
});

test("--url names the runner like HANGAR_URL; a wrong key and local-only commands are clear errors", async () => {
  const viaFlag = await hangar(["ls", "--url", remote.url], { HANGAR_URL: undefined });
  assert.equal(viaFlag.code, 0, viaFlag.stderr);
  assert.ok(viaFlag.stdout.includes(TINY_MODEL));

  const wrongKey = await hangar(["ls"], { HANGAR_API_KEY: "not-the-key-000" });
  assert.equal(wrongKey.code, 1);
  assert.match(wrongKey.stderr, /API key/i);

  const imported = await hangar(["import", join(localHome, "mine.gguf")]);
  assert.equal(imported.code, 1);
  assert.match(imported.stderr, /import works on this computer's store only .* HANGAR_URL names/);

  const badUrl = await hangar(["ls", "--url", "ftp:/x"], { HANGAR_URL: undefined });
  assert.equal(badUrl.code, 1);
  assert.match(badUrl.stderr, /--url must be an http\(s\) URL/);
});
