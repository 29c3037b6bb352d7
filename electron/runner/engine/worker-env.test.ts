import assert from "node:assert/strict";
import { test } from "node:test";
import { workerEnvironment, workerGpu, workerLogLevel } from "./worker-env.ts";

test("a worker starts with its log level, its GPU backend and one libuv pool thread", () => {
  const env = workerEnvironment({ PATH: "/usr/bin", UV_THREADPOOL_SIZE: "16" }, "debug", false);
  assert.equal(env.PATH, "/usr/bin");
  // Every decode on one pool thread keeps llama.cpp's compute threads in one team (worker-env.ts).
  assert.equal(env.UV_THREADPOOL_SIZE, "1");
  assert.equal(workerLogLevel(env), "debug");
  assert.equal(workerGpu(env), false);
});

test("unknown or missing values fall back to info and auto", () => {
  assert.equal(workerLogLevel({ HANGAR_WORKER_LOG_LEVEL: "loud" }), "info");
  assert.equal(workerGpu({}), "auto");
});
