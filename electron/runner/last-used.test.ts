import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTinyModel } from "../../testkit/gguf-writer.ts";
import { importGguf } from "./distribution/packaging/package-model.ts";
import { ModelStore } from "./store/model-store.ts";
import { recordUse } from "./last-used.ts";

const settle = async (store: ModelStore, ref: string, want: string | null) => {
  for (let i = 0; i < 200; i++) {
    const at = (await store.resolve(ref)).lastUsedAt;
    if (at === want) return at;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`lastUsedAt of ${ref} never became ${want}`);
};

test("each use is written to the store, at most once a minute per model; unknown models are ignored", async () => {
  const dir = await mkdtemp(join(tmpdir(), "hangar-last-used-"));
  try {
    let now = Date.parse("2026-01-01T10:00:00Z");
    const store = new ModelStore({ root: join(dir, "models"), now: () => new Date(now) });
    await importGguf(store, await writeTinyModel(join(dir, "a.gguf"), { seed: 1 }), "local/a:1");
    const use = recordUse(store, { now: () => now });
    assert.equal((await store.resolve("local/a:1")).lastUsedAt, null);

    use("local/a:1");
    await settle(store, "local/a:1", "2026-01-01T10:00:00.000Z");
    now += 30_000;
    use("local/a:1");
    now += 20_000;
    use("nobody/here:1");
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(
      (await store.resolve("local/a:1")).lastUsedAt,
      "2026-01-01T10:00:00.000Z",
      "within the minute",
    );
    now += 20_000;
    use("local/a:1");
    await settle(store, "local/a:1", "2026-01-01T10:01:10.000Z");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
