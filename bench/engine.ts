/**
 * Engine benchmark: decode tokens per second and time to first token for node-llama-cpp called directly
 * in one process, against the same model through the Engine (a worker process), and aggregate tok/s
 * with 4 concurrent streams against 1. The helpers are exported for the HTTP benchmark to reuse.
 * Model: a generated Q8_0 llama of realistic shape (32k vocabulary, ~134M parameters), mmap off.
 */
import os from "node:os";
import { getLlama, LlamaChat } from "node-llama-cpp";
import { parameterCount, type TinyModelOptions } from "../testkit/gguf-writer.ts";
import { Scheduler } from "../electron/runner/engine/scheduler.ts";
import type { EngineSettings } from "../electron/runner/engine/engine-settings.ts";
import { generateModels, MemoryLogger, type GeneratedModels } from "../testkit/generated-models.ts";
import type { ChatRequest, Engine } from "../electron/runner/engine/types.ts";
import { resolveModelChatWrapper } from "../electron/runner/engine/worker/thinking.ts";

export const BENCH_MODEL: TinyModelOptions = {
  seed: 11,
  matrixType: "Q8_0",
  vocabSize: 32_000,
  embeddingLength: 768,
  blockCount: 12,
  headCount: 12,
  feedForwardLength: 2048,
  contextLength: 2048,
};

export interface BenchConfig {
  threads: number;
  contextSize: number;
  sequences: number;
  maxTokens: number;
  runs: number;
  prompt: string;
}

export const defaultBenchConfig = (): BenchConfig => ({
  threads: Number(process.env.HANGAR_BENCH_THREADS) || os.availableParallelism(),
  contextSize: 1024,
  sequences: 4,
  maxTokens: Number(process.env.HANGAR_BENCH_MAX_TOKENS) || 96,
  runs: Number(process.env.HANGAR_BENCH_RUNS) || 5,
  prompt: "hello, the model runs fast on this local test",
});

export interface Sample {
  /** To the first text (a content delta, or node-llama-cpp's first text chunk). */
  timeToFirstTokenMs: number;
  tokensPerSecond: number;
  tokens: number;
  /** Direct runs only: to node-llama-cpp's first token, which its text can trail. */
  timeToFirstRawTokenMs?: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function rate(tokens: number, firstAt: number, endAt: number): number {
  // Decode rate: tokens after the first over the time after the first.
  return tokens > 1 && endAt > firstAt ? ((tokens - 1) * 1000) / (endAt - firstAt) : 0;
}

export interface DirectRunner {
  /** One chat generation on its own sequence, timed from the call to the first text and to the end. */
  sample(maxTokens?: number): Promise<Sample>;
  close(): Promise<void>;
}

/** node-llama-cpp in this process: the baseline the Engine and the HTTP API are compared with. */
export async function openDirect(modelPath: string, config: BenchConfig): Promise<DirectRunner> {
  const llama = await getLlama({
    gpu: false,
    maxThreads: config.threads,
    build: "never",
    progressLogs: false,
  });
  const model = await llama.loadModel({ modelPath, useMmap: false, gpuLayers: 0 });
  const context = await model.createContext({
    contextSize: config.contextSize,
    sequences: config.sequences,
    threads: config.threads,
  });
  // The chat wrapper is resolved once, as the worker does: resolving it costs time on every LlamaChat.
  const chatWrapper = resolveModelChatWrapper(model);
  return {
    async sample(maxTokens = config.maxTokens) {
      const sequence = context.getSequence();
      const chat = new LlamaChat({ contextSequence: sequence, chatWrapper });
      const started = performance.now();
      let firstAt = 0;
      let firstTokenAt = 0;
      let tokens = 0;
      try {
        await chat.generateResponse(
          [
            { type: "user", text: config.prompt },
            { type: "model", response: [] },
          ],
          {
            maxTokens,
            temperature: 0,
            // Timed to the first text, as a client sees it: node-llama-cpp can hold a token back while it
            // might still turn into a stop string, so the first token can come earlier than its text.
            onTextChunk: (text) => {
              if (firstAt === 0 && text) firstAt = performance.now();
            },
            onToken: (t) => {
              if (tokens === 0) firstTokenAt = performance.now();
              tokens += t.length;
            },
          },
        );
      } finally {
        chat.dispose();
        await sequence.dispose();
      }
      const endAt = performance.now();
      return {
        timeToFirstTokenMs: firstAt - started,
        tokensPerSecond: rate(tokens, firstAt, endAt),
        tokens,
        timeToFirstRawTokenMs: firstTokenAt - started,
      };
    },
    async close() {
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}

/** One streamed chat through any Engine, timed from the call to the first delta and to done. */
export async function measureEngineStream(engine: Engine, request: ChatRequest): Promise<Sample> {
  const started = performance.now();
  let firstAt = 0;
  for await (const event of engine.chat(request)) {
    if (event.type === "delta" && firstAt === 0) firstAt = performance.now();
    if (event.type === "done") {
      const endAt = performance.now();
      const tokens = event.usage.completionTokens;
      return { timeToFirstTokenMs: firstAt - started, tokensPerSecond: rate(tokens, firstAt, endAt), tokens };
    }
  }
  throw new Error("stream ended without done");
}

/** Tokens per second over all of `streams` concurrent chats, from the first call to the last done. */
export async function measureAggregate(
  engine: Engine,
  request: ChatRequest,
  streams: number,
): Promise<number> {
  const started = performance.now();
  const samples = await Promise.all(
    Array.from({ length: streams }, () => measureEngineStream(engine, request)),
  );
  const seconds = (performance.now() - started) / 1000;
  return samples.reduce((sum, s) => sum + s.tokens, 0) / seconds;
}

export function benchRequest(model: string, config: BenchConfig): ChatRequest {
  return {
    model,
    messages: [{ role: "user", content: config.prompt }],
    temperature: 0,
    maxTokens: config.maxTokens,
    keepAliveSeconds: -1,
  };
}

export const BENCH_REF = "bench:q8";

/** Generates the benchmark model in a temp directory; `cleanup()` removes it. */
export async function prepareBenchModel(): Promise<GeneratedModels & { ref: string; modelPath: string }> {
  const models = await generateModels({ [BENCH_REF]: BENCH_MODEL });
  const modelPath = (await models.resolveModel(BENCH_REF)).ggufPaths[0]!;
  return { ...models, ref: BENCH_REF, modelPath };
}

/** Engine settings matching openDirect: CPU, mmap off, the same threads, context and sequences. */
export function benchEngineSettings(config: BenchConfig): EngineSettings {
  return {
    threads: config.threads,
    gpu: false,
    useMmap: false,
    contextSize: config.contextSize,
    parallel: config.sequences,
  };
}

/** Runs the whole engine benchmark and returns its figures. */
export async function run(
  config: BenchConfig = defaultBenchConfig(),
): Promise<Record<string, string | number>> {
  const bench = await prepareBenchModel();
  const engine = new Scheduler({
    resolveModel: bench.resolveModel,
    logger: new MemoryLogger(),
    settings: benchEngineSettings(config),
  });
  const direct = await openDirect(bench.modelPath, config);
  try {
    const request = benchRequest(bench.ref, config);
    // Warm both paths (the Engine's first request loads the model), then alternate samples so that
    // drift in the machine's load affects both columns alike.
    await measureEngineStream(engine, request);
    await direct.sample();
    const viaDirect: Sample[] = [];
    const viaEngine: Sample[] = [];
    for (let i = 0; i < config.runs; i++) {
      viaDirect.push(await direct.sample());
      viaEngine.push(await measureEngineStream(engine, request));
      // Progress on stderr: on a busy machine a run takes a while.
      console.error(`engine bench run ${i + 1}/${config.runs}:`, viaDirect.at(-1), viaEngine.at(-1));
    }
    const single = await measureAggregate(engine, request, 1);
    const four = await measureAggregate(engine, request, 4);
    const directTps = median(viaDirect.map((s) => s.tokensPerSecond));
    const engineTps = median(viaEngine.map((s) => s.tokensPerSecond));
    const directTtft = median(viaDirect.map((s) => s.timeToFirstTokenMs));
    const engineTtft = median(viaEngine.map((s) => s.timeToFirstTokenMs));
    return {
      model: `Q8_0, ${(parameterCount(BENCH_MODEL) / 1e6).toFixed(0)}M parameters, 32k vocabulary, mmap off`,
      threads: config.threads,
      runs: config.runs,
      "tokens per run": median(viaEngine.map((s) => s.tokens)),
      "direct decode tok/s": round(directTps),
      "engine decode tok/s": round(engineTps),
      "engine/direct tok/s ratio": round(engineTps / directTps, 3),
      "direct time to first token ms": round(directTtft),
      "engine time to first token ms": round(engineTtft),
      "engine added to first token ms": round(engineTtft - directTtft),
      "aggregate tok/s, 1 stream": round(single),
      "aggregate tok/s, 4 streams": round(four),
      "4 streams / 1 stream": round(four / single, 2),
      "load average (1 min) at end": round(os.loadavg()[0]!, 2),
    };
  } finally {
    await direct.close();
    await engine.close();
    await bench.cleanup();
  }
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
