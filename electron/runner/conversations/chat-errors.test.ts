import { test } from "node:test";
import assert from "node:assert/strict";
import { toChatError } from "./chat-errors.ts";
import { EngineError } from "../engine/types.ts";
import { ModelNotFoundError } from "../models.ts";

test("engine and store failures become errors a person can act on", () => {
  assert.deepEqual(toChatError(new ModelNotFoundError("ai/x"), "ai/x").code, "model_missing");
  assert.match(toChatError(new EngineError("not_found", "no"), "ai/x").message, /ai\/x is not installed/);
  const crashed = toChatError(new EngineError("worker_crashed", "worker exited with SIGABRT"), "m");
  assert.equal(crashed.code, "worker_crashed");
  assert.match(crashed.message, /SIGABRT.*Retry/);
  assert.equal(toChatError(new EngineError("load_failed", "bad file"), "m").code, "load_failed");
  assert.equal(toChatError(new EngineError("overloaded", "queue full."), "m").code, "overloaded");
  assert.equal(
    toChatError(Object.assign(new Error("x"), { code: "runner_stopped" }), "m").code,
    "runner_stopped",
  );
  const unknown = toChatError(new TypeError("boom"), "m");
  assert.equal(unknown.code, "internal");
  assert.match(unknown.message, /boom/);
});
