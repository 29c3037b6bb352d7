/**
 * What `hangar bench REF` measures on this machine, through the running runner's own APIs, as a client
 * sees it: the load time (unloaded, then loaded with Ollama's empty-prompt load), and per run the time to
 * first token of a short prompt, prompt processing of a long one, and decode speed. Each prompt is new,
 * so no prompt cache shortens the work.
 */
import { lines, type RunnerClient } from "./runner-client.ts";

export interface BenchOptions {
  runs: number;
  /** About how many tokens the long prompt has (one short word is one token in most vocabularies). */
  promptTokens: number;
  /** Tokens to generate for the decode figure. */
  tokens: number;
  /** A line per step, for progress. */
  onStep?: (step: string) => void;
}

export interface BenchRun {
  ttftMs: number;
  promptTokens: number;
  promptTokensPerSecond: number;
  completionTokens: number;
  decodeTokensPerSecond: number;
}

export interface BenchResult {
  model: string;
  loadMs: number;
  /** Where decoding read the weights from in the runs ("mapped" or "memory"), when the runner says. */
  weights?: string;
  /** With useMmap "auto": from the end of the load until the weights were in memory (idle wait and read). */
  weightsSettleMs?: number;
  runs: BenchRun[];
  median: Omit<BenchRun, "promptTokens" | "completionTokens">;
}

interface Stream {
  startedAt: number;
  firstTokenAt: number;
  lastTokenAt: number;
  chunks: number;
  promptTokens: number;
  completionTokens: number;
}

/** One streamed chat completion, timed at each content chunk. */
async function streamed(client: RunnerClient, model: string, content: string, maxTokens: number) {
  const startedAt = performance.now();
  const res = await client.request("/v1/chat/completions", {
    method: "POST",
    body: JSON.stringify({
      model,
      messages: [{ role: "user", content }],
      max_tokens: maxTokens,
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
    }),
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `${res.status} ${res.statusText}`);
  }
  const s: Stream = {
    startedAt,
    firstTokenAt: 0,
    lastTokenAt: 0,
    chunks: 0,
    promptTokens: 0,
    completionTokens: 0,
  };
  for await (const line of lines(res)) {
    if (!line.startsWith("data: ") || line === "data: [DONE]") continue;
    const chunk = JSON.parse(line.slice(6)) as {
      error?: { message: string };
      choices?: { delta?: { content?: string } }[];
      usage?: { prompt_tokens: number; completion_tokens: number } | null;
    };
    if (chunk.error) throw new Error(chunk.error.message);
    if (chunk.usage) {
      s.promptTokens = chunk.usage.prompt_tokens;
      s.completionTokens = chunk.usage.completion_tokens;
    }
    if (chunk.choices?.[0]?.delta?.content) {
      const now = performance.now();
      if (!s.firstTokenAt) s.firstTokenAt = now;
      s.lastTokenAt = now;
      s.chunks++;
    }
  }
  if (!s.firstTokenAt) s.firstTokenAt = s.lastTokenAt = performance.now();
  return s;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** A prompt of about `words` one-token words, different for every `seed`. */
export function benchPrompt(words: number, seed: number): string {
  const vocabulary = ["the", "a", "is", "of", "and", "to", "in", "it", "on", "at", "by", "we"];
  const out = [`${seed}:`];
  for (let i = 1; i < words; i++) out.push(vocabulary[(i * 7 + seed) % vocabulary.length]!);
  return out.join(" ");
}

const SETTLE_TIMEOUT_MS = 120_000;

/**
 * With useMmap "auto" the runner reads a loaded model's weights into memory once it is idle, and decodes
 * faster from then on: the runs wait for that, as they would run on a model in use for a while.
 */
async function settledWeights(
  client: RunnerClient,
  model: string,
  step: (line: string) => void,
): Promise<{ weights?: string; weightsSettleMs?: number }> {
  const started = performance.now();
  for (let polls = 0; ; polls++) {
    const { models } = await client.json<{ models: { name: string; weights?: string }[] }>("/api/ps");
    const weights = models.find((m) => m.name === model)?.weights;
    if (weights === undefined) return {};
    if (weights !== "mapped")
      return { weights, ...(polls > 0 ? { weightsSettleMs: performance.now() - started } : {}) };
    if (polls === 0) {
      const settings = await client.json<{ useMmap?: unknown }>("/hangar/settings").catch(() => undefined);
      if (settings?.useMmap !== "auto") return { weights };
      step("reading the weights into memory (useMmap auto, once the model is idle)");
    }
    if (performance.now() - started > SETTLE_TIMEOUT_MS) return { weights };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function benchModel(client: RunnerClient, model: string, o: BenchOptions): Promise<BenchResult> {
  const step = o.onStep ?? (() => {});
  step(`unloading ${model}`);
  await client.json("/api/generate", { method: "POST", body: JSON.stringify({ model, keep_alive: 0 }) });
  step(`loading ${model}`);
  const loadStarted = performance.now();
  await client.json("/api/generate", { method: "POST", body: JSON.stringify({ model }) });
  const loadMs = performance.now() - loadStarted;
  const placement = await settledWeights(client, model, step);
  const runs: BenchRun[] = [];
  for (let run = 1; run <= o.runs; run++) {
    step(`run ${run}/${o.runs}: time to first token`);
    const short = await streamed(client, model, benchPrompt(8, run * 3), 1);
    step(`run ${run}/${o.runs}: prompt processing (${o.promptTokens} tokens)`);
    const long = await streamed(client, model, benchPrompt(o.promptTokens, run * 3 + 1), 1);
    step(`run ${run}/${o.runs}: decode (${o.tokens} tokens)`);
    const decode = await streamed(client, model, benchPrompt(8, run * 3 + 2), o.tokens);
    const decodeSeconds = (decode.lastTokenAt - decode.firstTokenAt) / 1000;
    // Tokens after the first, over the time after the first: the prompt's evaluation is not in it.
    const generated = Math.max(decode.completionTokens, decode.chunks);
    runs.push({
      ttftMs: short.firstTokenAt - short.startedAt,
      promptTokens: long.promptTokens,
      promptTokensPerSecond: long.promptTokens / ((long.firstTokenAt - long.startedAt) / 1000),
      completionTokens: generated,
      decodeTokensPerSecond: generated > 1 && decodeSeconds > 0 ? (generated - 1) / decodeSeconds : 0,
    });
  }
  return {
    model,
    loadMs,
    ...placement,
    runs,
    median: {
      ttftMs: median(runs.map((r) => r.ttftMs)),
      promptTokensPerSecond: median(runs.map((r) => r.promptTokensPerSecond)),
      decodeTokensPerSecond: median(runs.map((r) => r.decodeTokensPerSecond)),
    },
  };
}
