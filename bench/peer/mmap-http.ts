/**
 * Decode through `hangar serve` with the weights kept mapped (useMmap true) against the default (useMmap
 * "auto": mapped at load, read into memory once idle), both servers up with the model loaded and
 * settled, requests alternating between them.
 *
 *   node --import tsx bench/peer/mmap-http.ts [ROUNDS] [TOKENS]
 */
import { ensurePeerModel } from "./peer-model.ts";
import { startHangar, weightsInMemory, type Server } from "./servers.ts";
import { benchCacheDir } from "./llama-server-build.ts";
import { streamChat, decodeRate } from "./stream-client.ts";

const rounds = Number(process.argv[2] ?? 6);
const tokens = Number(process.argv[3] ?? 128);
const model = await ensurePeerModel();
const mapped = await startHangar(model, benchCacheDir(), 18_561, [], { useMmap: true });
const auto = await startHangar(model, benchCacheDir(), 18_562, []);
let n = 0;
const rate = async (server: Server, maxTokens: number) =>
  decodeRate(
    await streamChat(server.baseUrl, { model: server.model, prompt: `${++n} hello, number ${n}`, maxTokens }),
  );
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
try {
  await rate(mapped, 4);
  await rate(auto, 4);
  await weightsInMemory(auto);
  const rates = { mapped: [] as number[], auto: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? (["auto", "mapped"] as const) : (["mapped", "auto"] as const);
    for (const name of order) rates[name].push(await rate(name === "mapped" ? mapped : auto, tokens));
    console.log(
      `round ${round + 1}: mapped ${rates.mapped.at(-1)!.toFixed(2)}, auto (in memory) ${rates.auto.at(-1)!.toFixed(2)} tok/s`,
    );
  }
  const [m, a] = [median(rates.mapped), median(rates.auto)];
  console.log(`median: mapped ${m.toFixed(2)}, auto ${a.toFixed(2)} tok/s, ratio ${(a / m).toFixed(3)}`);
} finally {
  await mapped.stop();
  await auto.stop();
}
