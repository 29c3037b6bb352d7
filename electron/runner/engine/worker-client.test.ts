// The worker as the built app runs it: worker/entry.ts bundled like scripts/build.mjs does, forked as plain JS.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { build } from "esbuild";
import { generateModels, type GeneratedModels } from "../../../testkit/generated-models.ts";
import { EngineError } from "./types.ts";
import { WorkerClient } from "./worker-client.ts";

let models: GeneratedModels;
let bundleDir: string;

before(async () => {
  models = await generateModels({ "tiny:a": { seed: 1 } });
  // Inside node_modules so the bundle resolves node-llama-cpp like dist/runner/worker.js does.
  await mkdir("node_modules/.cache", { recursive: true });
  bundleDir = await mkdtemp(join(process.cwd(), "node_modules/.cache/hangar-worker-"));
  await build({
    entryPoints: ["electron/runner/engine/worker/entry.ts"],
    outfile: join(bundleDir, "worker.js"),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    packages: "external",
    logLevel: "warning",
  });
});

after(async () => {
  await rm(bundleDir, { recursive: true, force: true });
  await models.cleanup();
});

test("the bundled worker loads a model, streams, refuses invalid operations and stops", async () => {
  const logs: string[] = [];
  const { worker, info } = await WorkerClient.start({
    label: "tiny:a",
    gpu: false,
    load: {
      modelPath: (await models.resolveModel("tiny:a")).ggufPaths[0]!,
      threads: 3,
      contextSize: 512,
      sequences: 1,
    },
    launch: { entry: join(bundleDir, "worker.js"), env: { ...process.env, HANGAR_WORKER_TEST: "1" } },
    onLog: (_level, message) => logs.push(message),
  });
  try {
    assert.equal(info.backend, "cpu");
    assert.equal(info.threads, 3, "a thread setting overrides llama.cpp's core count");
    assert.equal(info.embeddingLength, 64);
    const events = [];
    for await (const event of worker.generate({
      type: "complete",
      prompt: "the model",
      sampling: { maxTokens: 3 },
    }))
      events.push(event);
    assert.ok(events.some((e) => e.type === "delta"));
    assert.equal(events.at(-1)?.type, "done");
    await assert.rejects(
      (async () => {
        const bad = { type: "complete", prompt: 42, sampling: {} } as unknown as Parameters<
          typeof worker.generate
        >[0];
        for await (const event of worker.generate(bad)) void event;
      })(),
      (error: unknown) =>
        error instanceof EngineError && error.code === "invalid_request" && /prompt/.test(error.message),
    );
  } finally {
    await worker.stop();
  }
  assert.equal(worker.alive, false);
});

test("a model file that cannot load fails with load_failed", async () => {
  await assert.rejects(
    WorkerClient.start({
      label: "broken",
      gpu: false,
      load: {
        modelPath: join(models.dir, "missing.gguf"),
        threads: 1,
        contextSize: 512,
        sequences: 1,
      },
      launch: { entry: join(bundleDir, "worker.js") },
      onLog: () => {},
    }),
    (error: unknown) =>
      error instanceof EngineError && error.code === "load_failed" && /broken/.test(error.message),
  );
});
