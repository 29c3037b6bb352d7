/**
 * One streamed chat completion against an OpenAI-compatible server (Hangar or llama-server), timed as a
 * client sees it: to the first content delta, and to the end. Tokens come from the usage the server
 * reports (llama-server also reports `timings.predicted_n`).
 */
import { request, Agent } from "node:http";

export interface StreamSample {
  startedAt: number;
  firstTokenAt: number;
  endedAt: number;
  tokens: number;
}

export interface ChatBody {
  model: string;
  prompt: string;
  maxTokens: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** Decode rate of one stream: tokens after the first over the time after the first. */
export function decodeRate(sample: StreamSample): number {
  const seconds = (sample.endedAt - sample.firstTokenAt) / 1000;
  return sample.tokens > 1 && seconds > 0 ? (sample.tokens - 1) / seconds : 0;
}

export function streamChat(
  baseUrl: string,
  body: ChatBody,
  startedAt = performance.now(),
): Promise<StreamSample> {
  const payload = JSON.stringify({
    model: body.model,
    messages: [{ role: "user", content: body.prompt }],
    max_tokens: body.maxTokens,
    temperature: 0,
    stream: true,
    stream_options: { include_usage: true },
  });
  const url = new URL("/v1/chat/completions", baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", agent, headers: { "content-type": "application/json" } },
      (res) => {
        if (res.statusCode !== 200) {
          let text = "";
          res.on("data", (c: Buffer) => (text += c.toString()));
          res.on("end", () => reject(new Error(`${url.host}: ${res.statusCode} ${text.slice(0, 300)}`)));
          return;
        }
        let buffer = "";
        let firstTokenAt = 0;
        let tokens = 0;
        let deltas = 0;
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          buffer += chunk;
          let i: number;
          while ((i = buffer.indexOf("\n\n")) >= 0) {
            const event = buffer.slice(0, i).trim();
            buffer = buffer.slice(i + 2);
            if (!event.startsWith("data: ") || event === "data: [DONE]") continue;
            const data = JSON.parse(event.slice(6)) as {
              choices?: { delta?: { content?: string | null } }[];
              usage?: { completion_tokens?: number } | null;
              timings?: { predicted_n?: number };
            };
            if (data.choices?.[0]?.delta?.content) {
              deltas++;
              if (firstTokenAt === 0) firstTokenAt = performance.now();
            }
            tokens = data.usage?.completion_tokens ?? data.timings?.predicted_n ?? tokens;
          }
        });
        res.on("end", () => {
          const endedAt = performance.now();
          if (firstTokenAt === 0) return reject(new Error(`${url.host}: the stream had no content`));
          resolve({ startedAt, firstTokenAt, endedAt, tokens: tokens || deltas });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** Several streams at once; aggregate tok/s is every stream's tokens over the time until the last ends. */
export async function concurrentStreams(
  baseUrl: string,
  bodies: ChatBody[],
): Promise<{ aggregate: number; samples: StreamSample[] }> {
  const started = performance.now();
  const samples = await Promise.all(bodies.map((body) => streamChat(baseUrl, body, started)));
  const ended = Math.max(...samples.map((s) => s.endedAt));
  const tokens = samples.reduce((a, s) => a + s.tokens, 0);
  return { aggregate: (tokens * 1000) / (ended - started), samples };
}

/** Polls `url` until it answers 200; returns when it did. */
export async function waitForOk(url: string, timeoutMs: number, isAlive: () => boolean): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (!isAlive()) throw new Error(`${url}: the server exited`);
    const ok = await fetch(url)
      .then((res) => res.ok)
      .catch(() => false);
    if (ok) return;
    if (performance.now() > deadline) throw new Error(`${url}: not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
