import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-file.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hangar-atomic-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const temps = async (...dirs: string[]) =>
  (await Promise.all(dirs.map((d) => readdir(d)))).flat().filter((n) => n.endsWith(".tmp"));

test("writes a new file and replaces an existing one whole, leaving no temp file", async () => {
  const target = join(dir, "file.json");
  await writeFileAtomic(target, '{"v":1}');
  assert.equal(await readFile(target, "utf8"), '{"v":1}');
  await writeFileAtomic(target, new TextEncoder().encode('{"v":2}'));
  assert.equal(await readFile(target, "utf8"), '{"v":2}');
  assert.deepEqual(await temps(dir), []);
});

test("an atomic write that fails leaves the previous file intact", async () => {
  const target = join(dir, "file.json");
  await writeFileAtomic(target, '{"v":1}');
  // Renaming a file over a directory fails: the old content must survive and no temp file remain.
  await mkdir(join(dir, "sub", "inner"), { recursive: true });
  await assert.rejects(writeFileAtomic(join(dir, "sub"), "x"));
  assert.equal(await readFile(target, "utf8"), '{"v":1}');
  assert.deepEqual(await temps(dir, join(dir, "sub")), []);
});

test("a missing directory is an error, not a silent no-op", async () => {
  await assert.rejects(writeFileAtomic(join(dir, "nope", "file.json"), "x"), /ENOENT/);
});

test("private files get the mode asked for; others default to 0644", async (t) => {
  if (process.platform === "win32") return t.skip("POSIX modes do not apply on Windows");
  await writeFileAtomic(join(dir, "private.json"), "{}", 0o600);
  await writeFileAtomic(join(dir, "public.json"), "{}");
  assert.equal((await stat(join(dir, "private.json"))).mode & 0o777, 0o600);
  assert.equal((await stat(join(dir, "public.json"))).mode & 0o777, 0o644 & ~process.umask());
});

test("concurrent writers to one file: it ends as one writer's whole content", async () => {
  const target = join(dir, "race.json");
  const contents = Array.from({ length: 20 }, (_, i) =>
    JSON.stringify({ writer: i, pad: "x".repeat(50_000) }),
  );
  await Promise.all(contents.map((c) => writeFileAtomic(target, c)));
  assert.ok(contents.includes(await readFile(target, "utf8")));
  assert.deepEqual(await temps(dir), []);
});
