/**
 * What holds several streams back, measured on node-llama-cpp directly: 4 completions at once on one
 * context with 4 sequences, recording the size of every batch llama.cpp decodes and the aggregate
 * rate. With node-llama-cpp's default dispatch ("nextCycle") a batch goes out on the next event-loop
 * turn after the first sequence queues its token, before the others have sampled theirs, so 4 streams
 * decode in batches of 1-3 tokens; the worker's dispatch (engine/worker/batch-dispatch.ts) waits for
 * every generating sequence.
 *
 *   node --import tsx bench/peer/parallel-batching.ts [ROUNDS]
 */
import { getLlama, LlamaCompletion, type LlamaContext } from "node-llama-cpp";
import { batchDispatch } from "../../electron/runner/engine/worker/batch-dispatch.ts";
import { ensurePeerModel } from "./peer-model.ts";

const TOKENS = 48;
const rounds = Number(process.argv[2]) || 2;
const llama = await getLlama({ gpu: false, build: "never", progressLogs: false, maxThreads: 0 });
const model = await llama.loadModel({ modelPath: await ensurePeerModel(), gpuLayers: 0, useMmap: false });

async function measure(kind: "nextCycle" | "worker"): Promise<{ aggregate: number; batches: number[] }> {
  let active = 0;
  const made: { context?: LlamaContext } = {};
  const batches: number[] = [];
  // Diagnostics only: how many sequences have a token queued when each batch goes out.
  const queued = () =>
    (made.context as unknown as { _queuedDecodeSequenceIds?: Set<number> })._queuedDecodeSequenceIds?.size ??
    0;
  const worker = batchDispatch(
    () => active,
    () => made.context,
  );
  const context = await model.createContext({
    contextSize: 2048,
    sequences: 4,
    threads: llama.cpuMathCores,
    batching: {
      dispatchSchedule:
        kind === "worker"
          ? (dispatch: () => void) => worker(() => (batches.push(queued()), dispatch()))
          : // node-llama-cpp's "nextCycle": the next event-loop turn.
            (dispatch: () => void) => void setImmediate(() => (batches.push(queued()), dispatch())),
    },
  });
  made.context = context;
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
  return { aggregate, batches };
}

for (let round = 0; round < rounds; round++) {
  for (const kind of round % 2 ? (["worker", "nextCycle"] as const) : (["nextCycle", "worker"] as const)) {
    const { aggregate, batches } = await measure(kind);
    const decodeBatches = batches.filter((b) => b <= 4);
    const histogram = [1, 2, 3, 4]
      .map((n) => `${n}:${decodeBatches.filter((b) => b === n).length}`)
      .join(" ");
    console.log(
      `${kind.padEnd(9)} aggregate ${aggregate.toFixed(1)} tok/s; decode batches by size ${histogram}`,
    );
  }
}
