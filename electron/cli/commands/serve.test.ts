import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { flagsToSettings } from "./serve.ts";

test("--api-key-file adds the file's keys to --api-key; a missing or empty file is refused", async () => {
  const dir = await mkdtemp(join(tmpdir(), "hangar-serve-flags-"));
  try {
    const file = join(dir, "key");
    await writeFile(file, "file-key-123456\n");
    assert.deepEqual(flagsToSettings(["--api-key-file", file, "--api-key", "flag-key-1234"]).apiKeys, [
      "flag-key-1234",
      "file-key-123456",
    ]);
    assert.throws(
      () => flagsToSettings(["--api-key-file", join(dir, "nope")]),
      /--api-key-file: cannot read/,
    );
    await writeFile(join(dir, "empty"), "\n");
    assert.throws(
      () => flagsToSettings(["--api-key-file", join(dir, "empty")]),
      /--api-key-file: .* holds no key/,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
