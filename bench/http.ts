/**
 * HTTP benchmark: decode tok/s and time to first token through the OpenAI API (SSE, as a client sees
 * them) against node-llama-cpp called directly in one process, and aggregate tok/s with 4 concurrent
 * streams against 1. Same generated Q8_0 model, threads, context and mmap off as the engine benchmark.
 *
 * Direct and HTTP samples alternate (direct, HTTP with a plain node:http client, HTTP with fetch), so
 * the drift of a busy machine hits all of them alike; the added time to first token is the median of
 * the per-round differences.
 */
import { Agent, request } from "node:http";
import { parameterCount } from "../testkit/gguf-writer.ts";
import { startTestRunner } from "../testkit/runner.ts";
import {
  BENCH_MODEL,
  defaultBenchConfig,
  median,
  openDirect,
  prepareBenchModel,
  type BenchConfig,
  type Sample,
} from "./engine.ts";

const REF = "bench/q8:http";
const TTFT_ROUNDS = Number(process.env.HANGAR_BENCH_TTFT_ROUNDS) || 21;
const DECODE_ROUNDS = Number(process.env.HANGAR_BENCH_DECODE_ROUNDS) || 10;

function chatBody(config: BenchConfig): string {
  return JSON.stringify({
    model: REF,
    messages: [{ role: "user", content: config.prompt }],
    temperature: 0,
    max_tokens: config.maxTokens,
    stream: true,
    stream_options: { include_usage: true },
  });
}

/** Reads SSE text as it arrives: records when the first content delta and the usage come. */
function sseReader(started: number) {
  let buffer = "";
  let firstAt = 0;
  let tokens = 0;
  return {
    push(text: string) {
      buffer += text;
      let i: number;
      while ((i = buffer.indexOf("\n\n")) >= 0) {
        const event = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (!event.startsWith("data: ") || event === "data: [DONE]") continue;
        const data = JSON.parse(event.slice(6)) as {
          choices: { delta?: { content?: string } }[];
          usage?: { completion_tokens: number } | null;
        };
        if (firstAt === 0 && data.choices[0]?.delta?.content) firstAt = performance.now();
        if (data.usage) tokens = data.usage.completion_tokens;
      }
    },
    sample(): Sample {
      const endAt = performance.now();
      const tokensPerSecond = tokens > 1 && endAt > firstAt ? ((tokens - 1) * 1000) / (endAt - firstAt) : 0;
      return { timeToFirstTokenMs: firstAt - started, tokensPerSecond, tokens };
    },
  };
}

/** One streamed chat with fetch (undici), timed from the call to the first content chunk and to [DONE]. */
export async function measureSse(url: string, config: BenchConfig): Promise<Sample> {
  const started = performance.now();
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: chatBody(config),
  });
  if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  const reader = sseReader(started);
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
    reader.push(decoder.decode(chunk, { stream: true }));
  return reader.sample();
}

const agent = new Agent({ keepAlive: true });

/** The same with node:http, a client with little overhead of its own (like curl): the server's share. */
export function measureSsePlain(url: string, config: BenchConfig): Promise<Sample> {
  const body = chatBody(config);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/v1/chat/completions`,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}`));
        const reader = sseReader(started);
        res.setEncoding("utf8");
        res.on("data", (text: string) => reader.push(text));
        res.on("end", () => resolve(reader.sample()));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function aggregate(url: string, config: BenchConfig, streams: number): Promise<number> {
  const started = performance.now();
  const samples = await Promise.all(Array.from({ length: streams }, () => measureSsePlain(url, config)));
  return samples.reduce((sum, s) => sum + s.tokens, 0) / ((performance.now() - started) / 1000);
}

export async function run(
  config: BenchConfig = defaultBenchConfig(),
): Promise<Record<string, string | number>> {
  const bench = await prepareBenchModel();
  const direct = await openDirect(bench.modelPath, config);
  try {
    const served = await startTestRunner(
      {
        threads: config.threads,
        useMmap: false,
        contextSize: config.contextSize,
        parallel: config.sequences,
        keepAliveSeconds: -1,
      },
      { name: "bench-http", model: { path: bench.modelPath, ref: REF } },
    );
    const { runner, url } = served;
    try {
      // Warm-up: the first request loads the model; one of each kind before measuring.
      await measureSse(url, config);
      await measureSsePlain(url, config);
      await direct.sample();
      // Time to first token: many short rounds (a few tokens each), the kinds alternating.
      const short = { ...config, maxTokens: 4 };
      const ttft: { direct: Sample; plain: Sample; fetch: Sample }[] = [];
      const ttftFrom = runner.logs.lastSeq;
      for (let i = 0; i < TTFT_ROUNDS; i++) {
        // Odd rounds run direct last: whatever runs second in a round inherits the load of the first.
        const first = i % 2 === 0 ? await direct.sample(short.maxTokens) : undefined;
        const plain = await measureSsePlain(url, short);
        const viaFetch = await measureSse(url, short);
        ttft.push({ direct: first ?? (await direct.sample(short.maxTokens)), plain, fetch: viaFetch });
      }
      const workerTtft = median(
        runner.logs
          .entries({ sources: ["http"], sinceSeq: ttftFrom })
          .flatMap((e) =>
            e.request?.timeToFirstTokenMs !== undefined ? [e.request.timeToFirstTokenMs] : [],
          ),
      );
      // Decode rate: full-length generations, alternating too.
      const decode: { direct: Sample; plain: Sample }[] = [];
      const fromSeq = runner.logs.lastSeq;
      for (let i = 0; i < DECODE_ROUNDS; i++) {
        const first = i % 2 === 0 ? await direct.sample() : undefined;
        const plain = await measureSsePlain(url, config);
        decode.push({ direct: first ?? (await direct.sample()), plain });
      }
      // The worker's own timings for the same HTTP requests (from the request log).
      const engineTps = median(
        runner.logs
          .entries({ sources: ["http"], sinceSeq: fromSeq })
          .flatMap((e) => (e.request?.tokensPerSecond !== undefined ? [e.request.tokensPerSecond] : [])),
      );
      const single = await aggregate(url, config, 1);
      const four = await aggregate(url, config, 4);
      const directTps = median(decode.map((r) => r.direct.tokensPerSecond));
      const plainTps = median(decode.map((r) => r.plain.tokensPerSecond));
      const t = (pick: (r: (typeof ttft)[number]) => number) => median(ttft.map(pick)).toFixed(1);
      return {
        model: `Q8_0, ${(parameterCount(BENCH_MODEL) / 1e6).toFixed(0)}M parameters, 32k vocabulary, mmap off`,
        threads: config.threads,
        "decode rounds (direct, HTTP)": DECODE_ROUNDS,
        "decode tok/s direct (median)": directTps.toFixed(1),
        "decode tok/s HTTP SSE (median)": plainTps.toFixed(1),
        "HTTP/direct decode ratio (goal >= 0.97)": (plainTps / directTps).toFixed(3),
        "worker-measured tok/s, same requests": engineTps.toFixed(1),
        "TTFT rounds (direct, node:http, fetch)": TTFT_ROUNDS,
        "TTFT direct ms (median)": t((r) => r.direct.timeToFirstTokenMs),
        "TTFT worker-measured ms, same HTTP requests": workerTtft.toFixed(1),
        "TTFT HTTP SSE ms, node:http client (median)": t((r) => r.plain.timeToFirstTokenMs),
        "TTFT HTTP SSE ms, fetch client (median)": t((r) => r.fetch.timeToFirstTokenMs),
        "TTFT added ms, node:http client (median of round differences; goal < 10)": t(
          (r) => r.plain.timeToFirstTokenMs - r.direct.timeToFirstTokenMs,
        ),
        "TTFT added ms, fetch client (median of round differences)": t(
          (r) => r.fetch.timeToFirstTokenMs - r.direct.timeToFirstTokenMs,
        ),
        "aggregate tok/s, 1 stream": single.toFixed(1),
        "aggregate tok/s, 4 streams": four.toFixed(1),
        "4 streams / 1 stream": (four / single).toFixed(2),
      };
    } finally {
      await served.close();
    }
  } finally {
    await direct.close();
    agent.destroy();
    await bench.cleanup();
  }
}
