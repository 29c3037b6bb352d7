/**
 * The peer benchmark's model: a TinyLlama-shaped llama (1.1 B parameters, Q8_0, about 1.1 GiB) with
 * random weights, written once into the benchmark cache. Its vocabulary decodes to valid UTF-8 token by
 * token, so llama-server never ends a stream on a lone high byte.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { parameterCount, writeTinyModel, type TinyModelOptions } from "../../testkit/gguf-writer.ts";
import { benchCacheDir } from "./llama-server-build.ts";

export const PEER_MODEL: TinyModelOptions = {
  seed: 7,
  name: "hangar-peer-tinyllama-shape",
  matrixType: "Q8_0",
  vocabSize: 32_000,
  embeddingLength: 2048,
  blockCount: 22,
  headCount: 32,
  headCountKv: 4,
  feedForwardLength: 5632,
  contextLength: 2048,
  validUtf8Output: true,
};

/** Path of the model file, written first when the cache has none (a minute or two). */
export async function ensurePeerModel(log: (line: string) => void = console.log): Promise<string> {
  const dir = path.join(benchCacheDir(), "models");
  const file = path.join(dir, "peer-tinyllama-shape-q8_0-v1.gguf");
  if (existsSync(file)) return file;
  await mkdir(dir, { recursive: true });
  log(`writing the benchmark model (${(parameterCount(PEER_MODEL) / 1e9).toFixed(2)} B parameters, Q8_0)`);
  return writeTinyModel(file, PEER_MODEL);
}
