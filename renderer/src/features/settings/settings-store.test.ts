/* eslint-disable no-restricted-imports -- the store talks to the runner's real dispatcher in-process. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_SETTINGS } from "../../../../electron/runner/settings/settings.ts";
import { Dispatcher } from "../../../../electron/runner/bridge/dispatcher.ts";
import { createSettingsStore } from "./settings-store.ts";

/** A store over the runner's real dispatcher answering with the defaults; `updates` records what reached it. */
function storeOverDefaults() {
  const updates: unknown[] = [];
  const dispatcher = new Dispatcher({
    methods: {
      "settings.get": () => DEFAULT_SETTINGS,
      "settings.update": (patch) => (updates.push(patch), { ...DEFAULT_SETTINGS, ...patch }),
    },
    streams: {},
  });
  return { store: createSettingsStore(dispatcher.asBridge()), updates };
}

test("a patch that breaks the contract's settings rules is refused before the runner is asked", async () => {
  const { store, updates } = storeOverDefaults();
  assert.equal(await store.getState().save({ contextSize: 128 }), false);
  assert.match(store.getState().fieldErrors.contextSize ?? "", /^must be an integer from 256/);
  assert.equal(await store.getState().save({ corsOrigins: ["not an origin"] }), false);
  assert.match(store.getState().fieldErrors.corsOrigins ?? "", /^must be an origin/);
  assert.deepEqual(updates, [], "nothing reached the runner");
  assert.equal(await store.getState().save({ contextSize: 256, host: " 127.0.0.1 " }), true);
  assert.deepEqual(updates, [{ contextSize: 256, host: "127.0.0.1" }]);
  assert.equal(store.getState().settings!.contextSize, 256);
});

test("settings that would stop Hangar from starting are refused at their field, before the runner is asked", async () => {
  const { store, updates } = storeOverDefaults();
  await store.getState().load();
  for (const [patch, field, message] of [
    [{ host: "not a host" }, "host", /must be a host name or IP address/],
    [{ host: "0.0.0.0" }, "host", /needs an API key/],
    [{ modelsDir: "models" }, "modelsDir", /must be an absolute path/],
    [{ memoryBudgetBytes: 99_999e9 }, "memoryBudgetBytes", /must be an integer from/],
    [{ memoryBudgetBytes: 0.01e9 }, "memoryBudgetBytes", /must be an integer from/],
    [{ port: 70000 }, "port", /must be an integer from 0 to 65535/],
  ] as const) {
    assert.equal(await store.getState().save(patch), false, JSON.stringify(patch));
    assert.match(store.getState().fieldErrors[field] ?? "", message, JSON.stringify(patch));
    assert.equal(store.getState().error, null);
  }
  assert.deepEqual(updates, [], "nothing reached the runner");
  assert.equal(await store.getState().save({ host: "0.0.0.0", apiKeys: ["secret-key-1"] }), true);
  assert.deepEqual(store.getState().fieldErrors, {});
  assert.deepEqual(store.getState().restartPending, ["host", "apiKeys"]);
});
