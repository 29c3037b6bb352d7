/**
 * A Bridge that serves synthetic data to the real Chat and Logs screens, so the benchmark measures
 * rendering alone: log lines in runner-sized batches, and a token stream at a fixed rate.
 */
import type { Bridge } from "../../electron/contract/api.ts";
import type { Conversation } from "../../electron/contract/chat.ts";
import type { LogLine } from "../../electron/contract/logs.ts";
import { ok } from "../../electron/contract/result.ts";

const conversation: Conversation = {
  id: "bench",
  title: "Benchmark",
  model: "ai/bench:latest",
  createdAt: new Date(0).toISOString(),
  updatedAt: new Date(0).toISOString(),
  messageCount: 0,
  systemPrompt: "",
  parameters: {},
  messages: [],
};

const WORDS = "the model runs local tokens fast and this is a test of streaming text in the chat view".split(
  " ",
);
const MESSAGES = [
  "llama_model_loader: loaded meta data with 24 key-value pairs and 111 tensors",
  "llama_context: n_ctx = 4096, n_batch = 512, n_ubatch = 512",
  "slot update_slots: id 0 | task 12 | prompt processing progress, n_past = 128",
  "scheduler: loaded ai/smollm2:135M-Q4_K_M in 812 ms",
  "download: sha256:4f2c… 512 MiB of 1.2 GiB",
];

export function syntheticLine(seq: number): LogLine {
  const kind = seq % 10;
  const base = { seq, time: Date.now(), message: MESSAGES[seq % MESSAGES.length]! };
  if (kind === 0)
    return {
      ...base,
      level: "info",
      source: "http",
      message: "request",
      model: "ai/bench:latest",
      request: {
        id: `r${seq}`,
        method: "POST",
        path: "/v1/chat/completions",
        status: seq % 70 === 0 ? 500 : 200,
        latencyMs: 120 + (seq % 300),
        promptTokens: 30,
        completionTokens: 64,
      },
    };
  return {
    ...base,
    level: kind === 9 ? "warn" : kind === 8 ? "debug" : "info",
    source: kind < 6 ? "engine" : "runner",
    ...(kind < 6 ? { model: "ai/bench:latest" } : {}),
  };
}

export function createBenchBridge() {
  const streams = new Map<string, (event: object) => void>();
  let seq = 0;
  const bridge: Bridge = {
    async call(method) {
      switch (method) {
        case "chat.list":
          return ok([{ ...conversation, excerpt: null }]) as never;
        case "chat.get":
          return ok(conversation) as never;
        case "models.list":
          return ok({ models: [], diskUsageBytes: 0, storageDir: "" }) as never;
        default:
          return ok({}) as never;
      }
    },
    subscribe(stream, _params, listener) {
      let n = 0;
      const emit = (event: object) => (listener as (event: unknown) => void)({ ...event, seq: n++ });
      streams.set(stream, emit);
      if (stream === "logs.tail") emit({ kind: "snapshot", data: { lines: [] } });
      if (stream === "chat.turn")
        emit({
          kind: "snapshot",
          data: {
            conversation: {
              ...conversation,
              messages: [{ id: "u", role: "user", content: "Write a long answer", createdAt: "" }],
            },
            replyId: "r",
          },
        });
      return () => streams.delete(stream);
    },
  };

  return {
    bridge,
    /** Sends `total` log lines in batches of `batch`, one batch every `everyMs` (the runner batches per 50 ms). */
    async pushLogs(total: number, batch: number, everyMs: number) {
      for (let sent = 0; sent < total; sent += batch) {
        const lines = Array.from({ length: Math.min(batch, total - sent) }, () => syntheticLine(++seq));
        streams.get("logs.tail")?.({ kind: "delta", data: { lines } });
        await new Promise((r) => setTimeout(r, everyMs));
      }
    },
    /** Streams `tokens` tokens at `perSecond`, with Markdown structure and code blocks along the way. */
    async streamTokens(tokens: number, perSecond: number) {
      const emit = streams.get("chat.turn");
      if (!emit) throw new Error("no turn is open");
      const started = performance.now();
      let text = "";
      for (let i = 0; i < tokens;) {
        const due = Math.floor(((performance.now() - started) / 1000) * perSecond);
        for (; i < Math.min(due, tokens); i++) {
          let piece = ` ${WORDS[i % WORDS.length]}`;
          if (i % 120 === 60) piece = "\n\n```ts\nconst answer = 42; // code";
          if (i % 120 === 90) piece = "\n```\n\n";
          if (i % 40 === 0) piece += "\n\n";
          text += piece;
          emit({ kind: "delta", data: { type: "text", text: piece } });
        }
        await new Promise((r) => setTimeout(r, 4));
      }
      emit({
        kind: "delta",
        data: { type: "done", message: { id: "r", role: "assistant", content: text, createdAt: "" } },
      });
    },
  };
}
