/**
 * node-llama-cpp's prebuilt llama.cpp against one built on this machine from the same source (`npx node-llama-cpp source download --gpu false`), measured
 * in-process on the peer model: single-stream decode, a short prompt's time to first token, and 4
 * streams at once. Each side runs in a fresh process; a local build, when present, is moved aside for
 * the prebuilt side and put back after.
 *
 *   node --import tsx bench/peer/engine-build.ts [ROUNDS]
 */
import { spawnSync } from "node:child_process";
import { existsSync, renameSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { ensurePeerModel } from "./peer-model.ts";

const LOCAL_BUILDS = join(import.meta.dirname, "../../node_modules/node-llama-cpp/llama/localBuilds");
const ASIDE = `${LOCAL_BUILDS}.aside`;

async function child(modelPath: string): Promise<void> {
  const { getLlama, LlamaCompletion } = await import("node-llama-cpp");
  const llama = await getLlama({ gpu: false, build: "never", progressLogs: false, maxThreads: 0 });
  const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
  const context = await model.createContext({ contextSize: 2048, sequences: 4, threads: llama.cpuMathCores });
  const run = async (prompt: string, maxTokens: number) => {
    const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
    const started = performance.now();
    let first = 0;
    let tokens = 0;
    await completion.generateCompletion(prompt, {
      maxTokens,
      temperature: 0,
      onToken: (t) => {
        first ||= performance.now();
        tokens += t.length;
      },
    });
    const ended = performance.now();
    completion.dispose({ disposeSequence: true });
    return { ttft: first - started, decode: ((tokens - 1) * 1000) / (ended - first), tokens };
  };
  const prompt = (i: number) =>
    `${i} the model runs fast on this local test machine and answers questions well`;
  await run(prompt(0), 4);
  const ttft = (await run(prompt(1), 1)).ttft;
  const decode = (await run(prompt(2), 64)).decode;
  const started = performance.now();
  const four = await Promise.all([3, 4, 5, 6].map((i) => run(prompt(i), 48)));
  const aggregate = (four.reduce((a, r) => a + r.tokens, 0) * 1000) / (performance.now() - started);
  console.log(JSON.stringify({ build: llama.buildType, ttft, decode, aggregate }));
  await context.dispose();
}

if (process.argv[2] === "--child") {
  await child(process.argv[3]!);
} else {
  const modelPath = await ensurePeerModel();
  if (!existsSync(LOCAL_BUILDS))
    throw new Error(`no local build in ${LOCAL_BUILDS}: run npx node-llama-cpp source download --gpu false`);
  const measure = (prebuilt: boolean) => {
    if (prebuilt) renameSync(LOCAL_BUILDS, ASIDE);
    try {
      const r = spawnSync(
        process.execPath,
        ["--import", "tsx", fileURLToPath(import.meta.url), "--child", modelPath],
        { encoding: "utf8" },
      );
      const line = r.stdout.trim().split("\n").at(-1) ?? "";
      if (r.status !== 0 || !line.startsWith("{")) throw new Error(r.stderr.slice(-2000));
      return JSON.parse(line) as { build: string; ttft: number; decode: number; aggregate: number };
    } finally {
      if (prebuilt) renameSync(ASIDE, LOCAL_BUILDS);
    }
  };
  const rounds = Number(process.argv[2]) || 2;
  for (let round = 0; round < rounds; round++)
    for (const prebuilt of round % 2 ? [false, true] : [true, false]) {
      const r = measure(prebuilt);
      console.log(
        `${r.build.padEnd(10)} TTFT ${r.ttft.toFixed(0)} ms, decode ${r.decode.toFixed(1)} tok/s, 4 streams ${r.aggregate.toFixed(1)} tok/s`,
      );
    }
}
