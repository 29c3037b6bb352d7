/**
 * How to load weights, measured on node-llama-cpp directly: each strategy loads the peer model in a
 * fresh process (as a worker does) and reports the time to import node-llama-cpp, getLlama, loadModel,
 * createContext, the first token, and the decode rate. Strategies alternate round by round so a busy
 * machine's drift hits them alike.
 *
 *   node --import tsx bench/peer/weights-strategy.ts [ROUNDS] [strategy ...]
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ensurePeerModel } from "./peer-model.ts";

type LoadOptions = { useMmap?: boolean; useMlock?: boolean; useDirectIo?: boolean };
export const STRATEGIES: Record<string, LoadOptions> = {
  mmap: { useMmap: true },
  "no-mmap": { useMmap: false },
  "mmap+mlock": { useMmap: true, useMlock: true },
  "direct-io": { useMmap: false, useDirectIo: true },
};

interface Figures {
  importMs: number;
  getLlamaMs: number;
  loadMs: number;
  contextMs: number;
  firstTokenMs: number;
  decodeTps: number;
}

async function child(modelPath: string, options: LoadOptions): Promise<Figures> {
  const t0 = performance.now();
  const { getLlama, LlamaCompletion } = await import("node-llama-cpp");
  const t1 = performance.now();
  const llama = await getLlama({ gpu: false, build: "never", progressLogs: false, maxThreads: 0 });
  const t2 = performance.now();
  const model = await llama.loadModel({ modelPath, gpuLayers: 0, ...options });
  const t3 = performance.now();
  const context = await model.createContext({ contextSize: 2048, sequences: 4, threads: llama.cpuMathCores });
  const t4 = performance.now();
  const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
  let first = 0;
  let tokens = 0;
  await completion.generateCompletion("the model runs fast on this local test", {
    maxTokens: 64,
    temperature: 0,
    onToken: (chunk) => {
      if (first === 0) first = performance.now();
      tokens += chunk.length;
    },
  });
  const end = performance.now();
  return {
    importMs: t1 - t0,
    getLlamaMs: t2 - t1,
    loadMs: t3 - t2,
    contextMs: t4 - t3,
    firstTokenMs: first - t0,
    decodeTps: ((tokens - 1) * 1000) / (end - first),
  };
}

function runChild(strategy: string, modelPath: string): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ["--import", "tsx", fileURLToPath(import.meta.url), "--child", strategy, modelPath],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    proc.stdout.on("data", (c: Buffer) => (out += c.toString()));
    proc.on("exit", (code) => {
      const line = out.trim().split("\n").pop() ?? "";
      if (code === 0 && line.startsWith("{")) resolve(JSON.parse(line) as Figures);
      else reject(new Error(`${strategy}: exit ${code}: ${out.slice(-500)}`));
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

if (process.argv[2] === "--child") {
  const figures = await child(process.argv[4]!, STRATEGIES[process.argv[3]!]!);
  console.log(JSON.stringify(figures));
  process.exit(0);
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rounds = Number(process.argv[2]) || 3;
  const names = process.argv.slice(3).length ? process.argv.slice(3) : Object.keys(STRATEGIES);
  const modelPath = await ensurePeerModel();
  const results: Record<string, Figures[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? [...names].reverse() : names;
    for (const name of order) {
      const figures = await runChild(name, modelPath);
      results[name]!.push(figures);
      console.log(
        `round ${round + 1} ${name.padEnd(11)} ${JSON.stringify(figures, (_k, v: unknown) => (typeof v === "number" ? Math.round(v * 10) / 10 : v))}`,
      );
    }
  }
  console.log("\nmedians");
  for (const name of names) {
    const list = results[name]!;
    const m = (key: keyof Figures) => median(list.map((f) => f[key])).toFixed(key === "decodeTps" ? 1 : 0);
    console.log(
      `${name.padEnd(11)} import ${m("importMs")} ms, getLlama ${m("getLlamaMs")} ms, loadModel ${m("loadMs")} ms, context ${m("contextMs")} ms, first token ${m("firstTokenMs")} ms, decode ${m("decodeTps")} tok/s`,
    );
  }
}
