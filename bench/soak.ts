/**
 * `npm run soak`: N concurrent streaming clients for M minutes against the built `hangar serve` on
 * loopback, with a generated tiny model. Clients stream (OpenAI SSE and Ollama NDJSON), read slowly,
 * or disconnect at random moments. Prints lost requests, hung sequences, runner crashes and the runner's
 * memory growth after warm-up, and exits non-zero when a goal is missed. Not part of `npm test`.
 *
 *   SOAK_CLIENTS (default 16), SOAK_MINUTES (default 2), SOAK_PARALLEL (sequences, default 4)
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTinyModel } from "../testkit/gguf-writer.ts";
import { startRunnerProcess } from "../testkit/runner-process.ts";
import { ModelStore } from "../electron/runner/store/model-store.ts";
import { importGguf } from "../electron/runner/distribution/packaging/package-model.ts";

const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 16);
const MINUTES = Number(process.env.SOAK_MINUTES ?? 2);
const PARALLEL = Number(process.env.SOAK_PARALLEL ?? 4);
const MODEL = "local/soak:1";

type Outcome = "completed" | "disconnected" | "overloaded" | "lost";
const counts: Record<Outcome, number> = { completed: 0, disconnected: 0, overloaded: 0, lost: 0 };
const lostReasons = new Map<string, number>();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)]!;

function lose(reason: string): Outcome {
  lostReasons.set(reason, (lostReasons.get(reason) ?? 0) + 1);
  return "lost";
}

/** One request: streams it, reading fast or slowly, or leaves at a random moment. */
async function oneRequest(url: string): Promise<Outcome> {
  const style = pick(["fast", "fast", "slow", "disconnect"] as const);
  const api = pick(["openai", "ollama"] as const);
  const maxTokens = 8 + Math.floor(Math.random() * 120);
  const controller = new AbortController();
  const body =
    api === "openai"
      ? {
          model: MODEL,
          messages: [{ role: "user", content: "tell me a story" }],
          max_tokens: maxTokens,
          stream: true,
        }
      : {
          model: MODEL,
          messages: [{ role: "user", content: "tell me a story" }],
          options: { num_predict: maxTokens },
        };
  const leaveAfter = style === "disconnect" ? Math.random() * 1500 : Infinity;
  const timer = Number.isFinite(leaveAfter) ? setTimeout(() => controller.abort(), leaveAfter) : undefined;
  try {
    const res = await fetch(`${url}${api === "openai" ? "/v1/chat/completions" : "/api/chat"}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    if (res.status === 503) {
      await res.arrayBuffer();
      return "overloaded";
    }
    if (res.status !== 200) return lose(`HTTP ${res.status}: ${(await res.text()).slice(0, 120)}`);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (style === "slow") await sleep(20 + Math.random() * 80);
    }
    const finished = api === "openai" ? text.includes("data: [DONE]") : /"done":true/.test(text);
    if (!finished) return lose(`stream ended without its end marker: ${text.slice(-160)}`);
    return "completed";
  } catch (error) {
    if (controller.signal.aborted) return "disconnected";
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return lose(
      `${(error as Error).name}: ${(error as Error).message} (${cause?.code ?? cause?.message ?? "no cause"})`,
    );
  } finally {
    clearTimeout(timer);
  }
}

async function metrics(url: string): Promise<{ rss: number; busy: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
  return { rss: value("process_resident_memory_bytes"), busy: value("hangar_busy_requests") };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const home = await mkdtemp(join(tmpdir(), "hangar-soak-"));
  const gguf = await writeTinyModel(join(home, "soak.gguf"), { seed: 2, contextLength: 1024 });
  await importGguf(new ModelStore({ root: join(home, "models") }), gguf, MODEL);
  const runner = await startRunnerProcess(
    ["--parallel", String(PARALLEL), "--context-size", "512", "--no-gpu"],
    {},
    home,
  );
  let crashed = false;
  let stopping = false;
  runner.child.once("exit", () => (crashed = !stopping));
  console.log(`soak: ${CLIENTS} clients for ${MINUTES} min on ${runner.url} (${PARALLEL} sequences)`);

  const started = Date.now();
  const end = started + MINUTES * 60_000;
  const samples: { at: number; rss: number }[] = [];
  const sampler = setInterval(() => {
    void metrics(runner.url)
      .then((m) => samples.push({ at: Date.now() - started, rss: m.rss }))
      .catch(() => {});
  }, 2000);
  let requests = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < end && !crashed) {
        requests++;
        const outcome = await oneRequest(runner.url);
        counts[outcome]++;
        if (outcome === "overloaded") await sleep(200);
      }
    }),
  );
  clearInterval(sampler);
  // Every client has left: the busy count must be back to 0 within a second.
  await sleep(1000);
  const after = crashed ? { rss: NaN, busy: NaN } : await metrics(runner.url);
  stopping = true;
  await runner.stop();
  await rm(home, { recursive: true, force: true });

  const duration = MINUTES * 60_000;
  const warm = samples.filter((s) => s.at >= duration * 0.25 && s.at < duration * 0.5).map((s) => s.rss);
  const last = samples.filter((s) => s.at >= duration * 0.75).map((s) => s.rss);
  const growth = (median(last) - median(warm)) / median(warm);
  const figures: Record<string, string | number> = {
    requests,
    completed: counts.completed,
    "disconnected on purpose": counts.disconnected,
    "overloaded (503, retried)": counts.overloaded,
    "lost requests": counts.lost,
    "hung sequences (busy 1 s after the end)": after.busy,
    "runner crashes": crashed ? 1 : 0,
    "runner RSS after warm-up (median, 2nd quarter)": mib(median(warm)),
    "runner RSS at the end (median, last quarter)": mib(median(last)),
    "memory growth after warm-up": `${(growth * 100).toFixed(1)}%`,
  };
  for (const [key, value] of Object.entries(figures)) console.log(`${key.padEnd(48)} ${value}`);
  for (const [reason, n] of lostReasons) console.log(`  lost ×${n}: ${reason}`);
  const ok = counts.lost === 0 && after.busy === 0 && !crashed && growth < 0.2;
  console.log(ok ? "soak: all goals met" : "soak: GOALS MISSED");
  process.exit(ok ? 0 : 1);
}

await main();
