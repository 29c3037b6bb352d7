/**
 * HTTP benchmark: decode tok/s and time to first token through the OpenAI API (SSE, as a client sees
 * them) against node-llama-cpp called directly in one process, and aggregate tok/s with 4 concurrent
 * streams against 1. Same generated Q8_0 model, threads, context and mmap off as the engine benchmark.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parameterCount } from "../e2e/fixtures/gguf-writer.ts";
import { createRunner } from "../electron/runner/runner.ts";
import { ModelStore } from "../electron/runner/store/model-store.ts";
import {
  BENCH_MODEL,
  defaultBenchConfig,
  measureDirect,
  median,
  prepareBenchModel,
  type BenchConfig,
  type Sample,
} from "./engine.ts";

const REF = "bench/q8:http";

/** One streamed chat over HTTP, timed from the request to the first content chunk and to [DONE]. */
export async function measureSse(url: string, config: BenchConfig): Promise<Sample> {
  const started = performance.now();
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      model: REF,
      messages: [{ role: "user", content: config.prompt }],
      temperature: 0,
      max_tokens: config.maxTokens,
      stream: true,
      stream_options: { include_usage: true },
    }),
  });
  if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  const decoder = new TextDecoder();
  let buffer = "";
  let firstAt = 0;
  let tokens = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
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
  }
  const endAt = performance.now();
  const tokensPerSecond = tokens > 1 && endAt > firstAt ? ((tokens - 1) * 1000) / (endAt - firstAt) : 0;
  return { timeToFirstTokenMs: firstAt - started, tokensPerSecond, tokens };
}

async function aggregate(url: string, config: BenchConfig, streams: number): Promise<number> {
  const started = performance.now();
  const samples = await Promise.all(Array.from({ length: streams }, () => measureSse(url, config)));
  return samples.reduce((sum, s) => sum + s.tokens, 0) / ((performance.now() - started) / 1000);
}

export async function run(
  config: BenchConfig = defaultBenchConfig(),
): Promise<Record<string, string | number>> {
  const bench = await prepareBenchModel();
  const home = await mkdtemp(join(tmpdir(), "hangar-bench-http-"));
  try {
    const library = new ModelStore({ root: join(home, "models") });
    await library.importGguf(bench.modelPath, REF);
    const direct = await measureDirect(bench.modelPath, config);
    const runner = await createRunner({
      home,
      env: {},
      library,
      settings: {
        port: 0,
        threads: config.threads,
        gpu: false,
        useMmap: false,
        contextSize: config.contextSize,
        parallel: config.sequences,
        keepAliveSeconds: -1,
      },
    });
    try {
      const url = (await runner.start()).url!;
      await measureSse(url, config); // loads the model and warms up
      const viaHttp: Sample[] = [];
      const fromSeq = runner.logs.lastSeq;
      for (let i = 0; i < config.runs; i++) viaHttp.push(await measureSse(url, config));
      // The worker's own timings for the same requests (from the request log): what the client sees
      // beyond them is the cost of IPC + HTTP, free of the drift between separate runs on a busy machine.
      const engineRows = runner.logs
        .entries({ sources: ["http"], sinceSeq: fromSeq })
        .flatMap((e) => (e.request?.timeToFirstTokenMs !== undefined ? [e.request] : []));
      const engineTtft = median(engineRows.map((r) => r.timeToFirstTokenMs!));
      const engineTps = median(engineRows.map((r) => r.tokensPerSecond ?? 0));
      const single = await aggregate(url, config, 1);
      const four = await aggregate(url, config, 4);
      const directTps = median(direct.map((s) => s.tokensPerSecond));
      const httpTps = median(viaHttp.map((s) => s.tokensPerSecond));
      const directTtft = median(direct.map((s) => s.timeToFirstTokenMs));
      const httpTtft = median(viaHttp.map((s) => s.timeToFirstTokenMs));
      return {
        model: `Q8_0, ${(parameterCount(BENCH_MODEL) / 1e6).toFixed(0)}M parameters, 32k vocabulary, mmap off`,
        threads: config.threads,
        "decode tok/s direct (median)": directTps.toFixed(1),
        "decode tok/s HTTP SSE (median)": httpTps.toFixed(1),
        "HTTP/direct decode ratio (goal >= 0.97)": (httpTps / directTps).toFixed(3),
        "TTFT direct ms (median)": directTtft.toFixed(1),
        "direct first token (before its text) ms (median)": median(
          direct.map((s) => s.timeToFirstRawTokenMs ?? 0),
        ).toFixed(1),
        "TTFT HTTP SSE ms (median)": httpTtft.toFixed(1),
        "TTFT added vs direct ms (goal < 10)": (httpTtft - directTtft).toFixed(1),
        "worker-measured TTFT ms, same requests": engineTtft.toFixed(1),
        "TTFT added after the worker (IPC + HTTP) ms": (httpTtft - engineTtft).toFixed(1),
        "worker-measured tok/s, same requests": engineTps.toFixed(1),
        "client/worker decode ratio (IPC + HTTP)": (httpTps / engineTps).toFixed(3),
        "aggregate tok/s, 1 stream": single.toFixed(1),
        "aggregate tok/s, 4 streams": four.toFixed(1),
        "4 streams / 1 stream": (four / single).toFixed(2),
      };
    } finally {
      await runner.close();
    }
  } finally {
    await bench.cleanup();
    await rm(home, { recursive: true, force: true });
  }
}
