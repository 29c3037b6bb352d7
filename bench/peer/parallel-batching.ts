/**
 * What holds several streams back, measured on node-llama-cpp directly: 4 completions at once on one
 * context with 4 sequences, recording the size and time of every batch llama.cpp decodes and the
 * aggregate rate, with node-llama-cpp's own batching and with the worker's decode barrier
 * (engine/worker/batch-dispatch.ts).
 *
 *   node --import tsx bench/peer/parallel-batching.ts [ROUNDS]
 */
import { getLlama, LlamaCompletion } from "node-llama-cpp";
import { installDecodeBarrier } from "../../electron/runner/engine/worker/batch-dispatch.ts";
import { ensurePeerModel } from "./peer-model.ts";

const TOKENS = 48;
const rounds = Number(process.argv[2]) || 2;
const llama = await getLlama({ gpu: false, build: "never", progressLogs: false, maxThreads: 0 });
const model = await llama.loadModel({ modelPath: await ensurePeerModel(), gpuLayers: 0 });

/** Diagnostics only: wraps the native context to see each batch's token count and decode time. */
function recordBatches(context: object): Map<number, number[]> {
  const times = new Map<number, number[]>();
  const holder = context as { _ctx: Record<string, unknown> };
  const native = holder._ctx;
  let tokens = 0;
  holder._ctx = new Proxy(native, {
    get(target, key) {
      const value = target[key as string] as (...args: unknown[]) => unknown;
      if (key === "addToBatch")
        return (...args: unknown[]) => {
          tokens++;
          return value.apply(target, args);
        };
      if (key === "decodeBatch")
        return async () => {
          const size = tokens;
          tokens = 0;
          const started = performance.now();
          const result = await value.apply(target);
          times.set(size, [...(times.get(size) ?? []), performance.now() - started]);
          return result;
        };
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return times;
}

async function measure(kind: "node-llama-cpp" | "barrier") {
  let active = 0;
  const context = await model.createContext({ contextSize: 2048, sequences: 4, threads: llama.cpuMathCores });
  if (kind === "barrier") installDecodeBarrier(context, () => active);
  const batches = recordBatches(context);
  const started = performance.now();
  let tokens = 0;
  await Promise.all(
    [0, 1, 2, 3].map(async (i) => {
      active++;
      const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
      try {
        await completion.generateCompletion(`${i} the model runs fast on this local test`, {
          maxTokens: TOKENS,
          temperature: 0,
          onToken: (t) => (tokens += t.length),
        });
      } finally {
        active--;
      }
    }),
  );
  const aggregate = (tokens * 1000) / (performance.now() - started);
  await context.dispose();
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
  const sizes = [...batches.entries()]
    .filter(([size]) => size <= 4)
    .sort(([a], [b]) => a - b)
    .map(([size, t]) => `${size} tokens ×${t.length} (${median(t).toFixed(0)} ms)`)
    .join(", ");
  console.log(`${kind.padEnd(14)} aggregate ${aggregate.toFixed(1)} tok/s; decode batches: ${sizes}`);
}

for (let round = 0; round < rounds; round++)
  for (const kind of round % 2
    ? (["barrier", "node-llama-cpp"] as const)
    : (["node-llama-cpp", "barrier"] as const))
    await measure(kind);
