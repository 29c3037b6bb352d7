/**
 * `npm run bench:peer`: Hangar against llama.cpp's own llama-server, same model, same llama.cpp source,
 * both at their defaults, plus llama-server's fastest setting (`--no-mmap`) as a second reference.
 * Prints each figure and the Hangar/llama-server ratio against the goals; `--json` prints JSON as well.
 * Runs alternate between the servers round by round so a busy machine's drift hits both alike.
 *
 * Env: HANGAR_PEER_ROUNDS (default 3), HANGAR_PEER_TOKENS (decode tokens, default 96).
 */
import { ensureLlamaServer, benchCacheDir } from "./llama-server-build.ts";
import { ensurePeerModel } from "./peer-model.ts";
import { startHangar, startLlamaServer, unloadAll, weightsInMemory, type Server } from "./servers.ts";
import { concurrentStreams, decodeRate, streamChat } from "./stream-client.ts";

const ROUNDS = Number(process.env.HANGAR_PEER_ROUNDS) || 3;
const TOKENS = Number(process.env.HANGAR_PEER_TOKENS) || 96;
const json = process.argv.includes("--json");
const FASTEST = ["--no-mmap"];
const PORTS = { hangar: 18_611, server: 18_612 };

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let promptCount = 0;
/** After each cold load: how long until Hangar decoded from memory (idle wait and read). */
const settleMs: number[] = [];
/** A prompt no server has seen, so no prompt cache shortens the measured work. */
const freshPrompt = () =>
  `${++promptCount} hello, the model runs fast on this local test number ${promptCount}`;

type Figures = { decode: number[]; warmTtft: number[]; cold: number[]; fourStreams: number[] };
const empty = (): Figures => ({ decode: [], warmTtft: [], cold: [], fourStreams: [] });

async function ttft(server: Server): Promise<number> {
  const s = await streamChat(server.baseUrl, { model: server.model, prompt: freshPrompt(), maxTokens: 4 });
  return s.firstTokenAt - s.startedAt;
}

async function decode(server: Server): Promise<number> {
  return decodeRate(
    await streamChat(server.baseUrl, { model: server.model, prompt: freshPrompt(), maxTokens: TOKENS }),
  );
}

async function fourStreams(server: Server): Promise<number> {
  const bodies = [0, 1, 2, 3].map(() => ({ model: server.model, prompt: freshPrompt(), maxTokens: TOKENS }));
  return (await concurrentStreams(server.baseUrl, bodies)).aggregate;
}

/** Hangar cold: the runner is up, the model is not loaded (a request loads it). */
async function hangarCold(hangar: Server): Promise<number> {
  await unloadAll(hangar);
  // The runner forks its next worker once idle: give it the moment a running app has had.
  await sleep(4000);
  return ttft(hangar);
}

/** llama-server cold: from starting the process to the first token of the first request. */
async function serverCold(
  binary: string,
  model: string,
  flags: string[],
): Promise<{ ms: number; server: Server }> {
  const server = await startLlamaServer(binary, model, PORTS.server, flags);
  const s = await streamChat(server.baseUrl, { model: server.model, prompt: freshPrompt(), maxTokens: 4 });
  return { ms: s.firstTokenAt - server.startedAt, server };
}

/** One full comparison of Hangar against llama-server started with `flags`. */
async function compare(binary: string, model: string, hangar: Server, flags: string[]) {
  const h = empty();
  const l = empty();
  let server: Server | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    const hangarFirst = round % 2 === 0;
    const steps: (() => Promise<void>)[] = [
      async () => {
        h.cold.push(await hangarCold(hangar));
        // Hangar's defaults read the weights into memory once the model is idle: that happens here,
        // before anything else is measured, as it does on a user's machine after a load.
        settleMs.push(await weightsInMemory(hangar));
      },
      async () => {
        await server?.stop();
        const cold = await serverCold(binary, model, flags);
        server = cold.server;
        l.cold.push(cold.ms);
      },
    ];
    for (const step of hangarFirst ? steps : steps.reverse()) await step();
    const pair = async (measure: (s: Server) => Promise<number>, hf: number[], lf: number[]) => {
      if (hangarFirst) {
        hf.push(await measure(hangar));
        lf.push(await measure(server!));
      } else {
        lf.push(await measure(server!));
        hf.push(await measure(hangar));
      }
    };
    for (let i = 0; i < 3; i++) await pair(ttft, h.warmTtft, l.warmTtft);
    await pair(decode, h.decode, l.decode);
    await pair(fourStreams, h.fourStreams, l.fourStreams);
    log(`  round ${round + 1}/${ROUNDS} done`);
  }
  await server?.stop();
  const m = (f: Figures) => ({
    decode: median(f.decode),
    warmTtft: median(f.warmTtft),
    cold: median(f.cold),
    fourStreams: median(f.fourStreams),
  });
  return { hangar: m(h), server: m(l), samples: { hangar: h, server: l } };
}

function log(line: string) {
  process.stderr.write(`${line}\n`);
}

/** One comparison's medians on one line, logged as soon as it ends (a stopped run keeps them). */
function summary({ hangar: h, server: l }: Awaited<ReturnType<typeof compare>>): string {
  const pair = (name: string, a: number, b: number) =>
    `${name} ${a.toFixed(1)}/${b.toFixed(1)} (${(a / b).toFixed(2)})`;
  return `  hangar/llama-server: ${[
    pair("decode", h.decode, l.decode),
    pair("warm TTFT ms", h.warmTtft, l.warmTtft),
    pair("cold ms", h.cold, l.cold),
    pair("4 streams", h.fourStreams, l.fourStreams),
  ].join(", ")}`;
}

const binary = await ensureLlamaServer(log);
const model = await ensurePeerModel(log);
log(`model ${model}\nllama-server ${binary}\nstarting hangar serve (defaults)`);
const hangar = await startHangar(model, benchCacheDir(), PORTS.hangar);
try {
  // One untimed request each way warms the page cache and Hangar's first load.
  await ttft(hangar);
  await weightsInMemory(hangar);
  log("llama-server at its defaults");
  const defaults = await compare(binary, model, hangar, []);
  log(summary(defaults));
  log(`llama-server at its fastest setting (${FASTEST.join(" ")})`);
  const fastest = await compare(binary, model, hangar, FASTEST);
  log(summary(fastest));
  const rows = [
    // [figure, hangar, llama-server, ratio, goal, goal met]
    [
      "decode tok/s (defaults)",
      defaults.hangar.decode,
      defaults.server.decode,
      defaults.hangar.decode / defaults.server.decode,
      ">= 1.00",
    ],
    [
      `decode tok/s (llama-server ${FASTEST.join(" ")})`,
      fastest.hangar.decode,
      fastest.server.decode,
      fastest.hangar.decode / fastest.server.decode,
      ">= 0.90",
    ],
    [
      "warm TTFT ms",
      defaults.hangar.warmTtft,
      defaults.server.warmTtft,
      defaults.hangar.warmTtft / defaults.server.warmTtft,
      "<= 1.10",
    ],
    [
      "cold first token ms",
      defaults.hangar.cold,
      defaults.server.cold,
      defaults.hangar.cold / defaults.server.cold,
      "<= 1.25",
    ],
    [
      `cold first token ms (llama-server ${FASTEST.join(" ")})`,
      fastest.hangar.cold,
      fastest.server.cold,
      fastest.hangar.cold / fastest.server.cold,
      "",
    ],
    [
      "4 streams aggregate tok/s",
      defaults.hangar.fourStreams,
      defaults.server.fourStreams,
      defaults.hangar.fourStreams / defaults.server.fourStreams,
      ">= 0.95",
    ],
    [
      `4 streams tok/s (llama-server ${FASTEST.join(" ")})`,
      fastest.hangar.fourStreams,
      fastest.server.fourStreams,
      fastest.hangar.fourStreams / fastest.server.fourStreams,
      "",
    ],
  ] as const;
  const met = (ratio: number, goal: string) => {
    if (!goal) return "";
    const bound = Number(goal.slice(3));
    return (goal.startsWith(">=") ? ratio >= bound : ratio <= bound) ? "met" : "NOT met";
  };
  console.log(
    `\n${"figure".padEnd(46)} ${"hangar".padStart(9)} ${"llama-srv".padStart(9)} ${"ratio".padStart(6)}  goal`,
  );
  for (const [name, h, l, ratio, goal] of rows)
    console.log(
      `${name.padEnd(46)} ${h.toFixed(1).padStart(9)} ${l.toFixed(1).padStart(9)} ${ratio.toFixed(2).padStart(6)}  ${goal} ${met(ratio, goal)}`,
    );
  console.log(
    `\nHangar read the weights into memory ${median(settleMs).toFixed(0)} ms (median) after each cold first token ` +
      `(${settleMs.length} loads; the idle wait included), with nothing else measured meanwhile.`,
  );
  if (json)
    console.log(JSON.stringify({ rounds: ROUNDS, tokens: TOKENS, defaults, fastest, settleMs }, null, 2));
} finally {
  await hangar.stop();
}
