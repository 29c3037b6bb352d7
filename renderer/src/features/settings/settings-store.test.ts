/* eslint-disable no-restricted-imports -- the store talks to the runner's real dispatcher in-process. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_SETTINGS } from "../../../../electron/runner/settings/settings.ts";
import { Dispatcher } from "../../../../electron/runner/bridge/dispatcher.ts";
import { createSettingsStore } from "./settings-store.ts";

test("a patch that breaks the contract's settings rules is refused before the runner is asked", async () => {
  const updates: unknown[] = [];
  const dispatcher = new Dispatcher({
    methods: {
      "settings.get": () => DEFAULT_SETTINGS,
      "settings.update": (patch) => (updates.push(patch), { ...DEFAULT_SETTINGS, ...patch }),
    },
    streams: {},
  });
  const store = createSettingsStore(dispatcher.asBridge());
  assert.equal(await store.getState().save({ contextSize: 128 }), false);
  assert.match(store.getState().error ?? "", /settings\.contextSize must be an integer from 256/);
  assert.equal(await store.getState().save({ corsOrigins: ["not an origin"] }), false);
  assert.match(store.getState().error ?? "", /corsOrigins\[0\] must be an origin/);
  assert.deepEqual(updates, [], "nothing reached the runner");
  assert.equal(await store.getState().save({ contextSize: 256, host: " 127.0.0.1 " }), true);
  assert.deepEqual(updates, [{ contextSize: 256, host: "127.0.0.1" }]);
  assert.equal(store.getState().settings!.contextSize, 256);
});
