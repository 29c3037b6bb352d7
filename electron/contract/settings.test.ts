import { test } from "node:test";
import assert from "node:assert/strict";
import { MIN_CONTEXT_SIZE, settingsPatch } from "./settings.ts";
import { chatParametersValidator } from "./chat.ts";

test("settings rules: ranges, normalization, and unknown keys refused", () => {
  assert.equal(MIN_CONTEXT_SIZE, 256);
  assert.deepEqual(settingsPatch({ contextSize: 256 }), { contextSize: 256 });
  assert.throws(
    () => settingsPatch({ contextSize: 255 }, "settings"),
    /settings\.contextSize must be an integer from 256 to 1048576 \(got 255\)/,
  );
  assert.throws(
    () => settingsPatch({ contextsize: 4096 }, "settings"),
    /settings: unknown setting "contextsize"/,
  );
  assert.deepEqual(
    settingsPatch({
      host: " 0.0.0.0 ",
      corsOrigins: ["HTTPS://App.Example.com"],
      allowedHosts: ["Box.Local"],
      apiKeys: ["key-one-1234"],
      memoryBudgetBytes: null,
      gpu: false,
      logLevel: "debug",
    }),
    {
      host: "0.0.0.0",
      corsOrigins: ["https://app.example.com"],
      allowedHosts: ["box.local"],
      apiKeys: ["key-one-1234"],
      memoryBudgetBytes: null,
      gpu: false,
      logLevel: "debug",
    },
  );
  assert.throws(
    () => settingsPatch({ apiKeys: ["short"] }, "s"),
    /s\.apiKeys\[0\] must be at least 8 characters/,
  );
  assert.throws(
    () => settingsPatch({ memoryBudgetBytes: 1024 }, "s"),
    /s\.memoryBudgetBytes must be an integer from 67108864/,
  );
  assert.throws(
    () => settingsPatch({ corsOrigins: Array(101).fill("*") }, "s"),
    /s\.corsOrigins must have at most 100 items/,
  );
  assert.throws(() => settingsPatch([], "s"), /s must be an object/);
});

test("a conversation's context size has the runner setting's floor", () => {
  assert.throws(() => chatParametersValidator({ contextSize: 64 }, "parameters"), /parameters\.contextSize/);
  assert.deepEqual(chatParametersValidator({ contextSize: MIN_CONTEXT_SIZE }, "parameters"), {
    contextSize: MIN_CONTEXT_SIZE,
  });
});
