import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { LlamaLogLevel } from "node-llama-cpp";
import type { LogLevel } from "../../logs/types.ts";
import { LlamaLogForwarder } from "./llama-log.ts";
import { Scheduler } from "../scheduler.ts";
import { generateModels, MemoryLogger, type GeneratedModels } from "../../../../testkit/generated-models.ts";

function forwarder(level: LogLevel = "info") {
  const sent: [LogLevel, string][] = [];
  const forward = new LlamaLogForwarder((lvl, message) => sent.push([lvl, message]), {
    level,
    flushMs: 60_000,
  });
  return { sent, forward };
}

test("progress dots and blank lines are dropped; a block of lines becomes one entry", () => {
  const { sent, forward } = forwarder();
  forward.write(LlamaLogLevel.info, "llama_context: constructing llama_context");
  forward.write(LlamaLogLevel.info, "llama_context: n_seq_max             = 2\nllama_context: n_ctx = 1024");
  forward.write(LlamaLogLevel.info, ".");
  forward.write(LlamaLogLevel.info, "   ");
  assert.deepEqual(sent, [], "a block waits for its next line");
  forward.write(LlamaLogLevel.info, "llama_kv_cache: size =    0.50 MiB");
  forward.flush();
  assert.deepEqual(sent, [
    ["info", "llama_context: constructing llama_context; n_seq_max = 2; n_ctx = 1024"],
    ["info", "llama_kv_cache: size = 0.50 MiB"],
  ]);
});

test("warnings go out at once, after the block before them; lines below the level are dropped", () => {
  const { sent, forward } = forwarder("info");
  forward.write(LlamaLogLevel.info, "load: special tokens cache size = 5");
  forward.write(LlamaLogLevel.debug, "create_tensor: loading tensor token_embd.weight");
  forward.write(LlamaLogLevel.log, "load_backend: loaded CPU backend");
  forward.write(LlamaLogLevel.info, "llama_model_loader: - kv   0: general.architecture str = llama");
  forward.write(LlamaLogLevel.warn, "llama_model_load: something odd");
  forward.write(LlamaLogLevel.error, "no tag here");
  assert.deepEqual(sent, [
    ["info", "load: special tokens cache size = 5"],
    ["warn", "llama_model_load: something odd"],
    ["error", "no tag here"],
  ]);
});

test("at debug, llama.cpp's detailed lines come through as debug", () => {
  const { sent, forward } = forwarder("debug");
  forward.write(LlamaLogLevel.log, "load_backend: loaded CPU backend");
  forward.write(LlamaLogLevel.info, "llama_model_loader: - kv   0: general.architecture str = llama");
  forward.write(LlamaLogLevel.info, "print_info: arch = llama");
  forward.flush();
  assert.deepEqual(sent, [
    ["debug", "load_backend: loaded CPU backend"],
    ["debug", "llama_model_loader: - kv 0: general.architecture str = llama"],
    ["info", "print_info: arch = llama"],
  ]);
});

let models: GeneratedModels;
before(async () => {
  models = await generateModels({ "tiny:logs": { seed: 1 } });
});
after(() => models.cleanup());

/** Loads the model through the scheduler and its worker, and returns what the engine logged once llama.cpp's context lines are in. */
async function loadAndCollect(logLevel?: LogLevel) {
  const logger = new MemoryLogger();
  const engine = new Scheduler({
    resolveModel: models.resolveModel,
    logger,
    settings: { threads: 2, gpu: false, contextSize: 256, parallel: 1, ...(logLevel ? { logLevel } : {}) },
  });
  try {
    await engine.load("tiny:logs");
    // llama.cpp's lines reach the runner through node-llama-cpp's asynchronous logger: wait for the
    // KV cache line (one of the last of a load) rather than assume it came before the "loaded" reply.
    const engineLines = () => logger.entries.filter((e) => e.source === "engine" && e.model === "tiny:logs");
    for (let waited = 0; !engineLines().some((e) => /llama_kv_cache/.test(e.message)); waited += 20) {
      assert.ok(waited < 20_000, "llama.cpp's KV cache line never arrived");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return engineLines();
  } finally {
    await engine.close();
  }
}

test("loading a model puts llama.cpp's own lines in the runner's log, tagged with the model", async () => {
  const lines = await loadAndCollect();
  const metadata = lines.find((e) =>
    /^llama_model_loader: loaded meta data with \d+ key-value pairs/.test(e.message),
  );
  assert.equal(metadata?.level, "info");
  const context = lines.find((e) => /^llama_context: .*n_ctx = \d+/.test(e.message));
  assert.equal(context?.level, "info", "the context's set-up is one info entry");
  assert.ok(
    lines.every((e) => e.level !== "debug"),
    "debug lines stay off at the default level",
  );
  assert.ok(
    lines.every((e) => !/^[.\s]*$/.test(e.message) && !e.message.includes("- kv ")),
    "no progress dots, blank lines or metadata dump",
  );
  assert.ok(lines.length < 40, `a load makes a few dozen entries at most, not ${lines.length}`);
});

test("with the log level at debug, llama.cpp's detailed lines come through", async () => {
  const lines = await loadAndCollect("debug");
  assert.ok(lines.some((e) => e.level === "debug" && /create_tensor|load_tensors: layer/.test(e.message)));
});
