/**
 * Why the order of sequences in a batch matters, measured on node-llama-cpp's native context
 * directly: one token for each of 4 sequences decoded in one batch, the sequences added in id order
 * and shuffled, against one token alone. node-llama-cpp keeps a KV cache stream per sequence, and
 * llama.cpp then decodes a batch in passes of consecutive increasing sequence ids, so a shuffled
 * batch costs several passes over the weights (engine/worker/batch-dispatch.ts keeps the order).
 *
 *   node --import tsx bench/peer/batch-order.ts
 */
import { getLlama } from "node-llama-cpp";
import { ensurePeerModel } from "./peer-model.ts";

/** node-llama-cpp's native context methods used here (internal, for this measurement only). */
interface NativeContext {
  initBatch(size: number): void;
  addToBatch(
    sequenceId: number,
    firstTokenIndex: number,
    tokens: Uint32Array,
    logitIndexes: Uint32Array,
  ): void;
  decodeBatch(): Promise<void>;
  disposeSequence(sequenceId: number): void;
}

const STEPS = 32;
const llama = await getLlama({ gpu: false, build: "never", progressLogs: false, maxThreads: 0 });
const model = await llama.loadModel({ modelPath: await ensurePeerModel(), gpuLayers: 0 });
const context = await model.createContext({ contextSize: 2048, sequences: 4, threads: llama.cpuMathCores });
const native = (context as unknown as { _ctx: NativeContext })._ctx;
const prompt = Uint32Array.from(model.tokenize("the model runs fast on this local test"));

async function medianDecodeMs(order: number[]): Promise<number> {
  for (const sequence of order) native.disposeSequence(sequence);
  native.initBatch(prompt.length * order.length);
  for (const sequence of order) native.addToBatch(sequence, 0, prompt, Uint32Array.from([prompt.length - 1]));
  await native.decodeBatch();
  const times: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    native.initBatch(order.length);
    for (const sequence of order)
      native.addToBatch(
        sequence,
        prompt.length + step,
        prompt.subarray(step % prompt.length, (step % prompt.length) + 1),
        Uint32Array.from([0]),
      );
    const started = performance.now();
    await native.decodeBatch();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[STEPS >> 1]!;
}

for (const order of [[0], [0, 1, 2, 3], [3, 1, 0, 2], [1, 0, 2, 3], [0, 2]]) {
  const ms = await medianDecodeMs(order);
  console.log(
    `sequences ${order.join(",").padEnd(8)} one token each: ${ms.toFixed(1)} ms per batch, ${((order.length * 1000) / ms).toFixed(1)} tok/s`,
  );
}
await context.dispose();
await model.dispose();
