import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { lines, runnerClient, type RunnerClient } from "../runner-client.ts";
import type { Command } from "../command.ts";

interface Message {
  role: "system" | "user" | "assistant";
  content: string;
}

/** Streams one chat turn to stdout through the OpenAI API; returns the reply. */
async function streamTurn(
  client: RunnerClient,
  model: string,
  messages: Message[],
  signal: AbortSignal,
  maxTokens: number | undefined,
): Promise<string> {
  const res = await client.request("/v1/chat/completions", {
    method: "POST",
    body: JSON.stringify({ model, messages, stream: true, ...(maxTokens ? { max_tokens: maxTokens } : {}) }),
    signal,
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `${res.status} ${res.statusText}`);
  }
  let reply = "";
  for await (const line of lines(res, signal)) {
    if (!line.startsWith("data: ")) continue;
    const data = line.slice(6);
    if (data === "[DONE]") break;
    const chunk = JSON.parse(data) as {
      error?: { message: string };
      choices?: { delta?: { content?: string } }[];
    };
    if (chunk.error) throw new Error(chunk.error.message);
    const text = chunk.choices?.[0]?.delta?.content ?? "";
    reply += text;
    process.stdout.write(text);
  }
  process.stdout.write("\n");
  return reply;
}

export const run: Command = {
  name: "run",
  usage: "run REF [PROMPT] [--max-tokens N]   chat with a model (streams; interactive in a terminal)",
  async run(argv) {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { system: { type: "string" }, "max-tokens": { type: "string" } },
    });
    const [model, ...words] = positionals;
    if (!model) {
      process.stderr.write("usage: hangar run REF [PROMPT]\n");
      return 2;
    }
    const maxTokens = values["max-tokens"] ? Number(values["max-tokens"]) : undefined;
    if (maxTokens !== undefined && !(Number.isInteger(maxTokens) && maxTokens > 0))
      throw new Error(`--max-tokens must be a positive integer (got ${values["max-tokens"]})`);
    const client = await runnerClient();
    const messages: Message[] = values.system ? [{ role: "system", content: values.system }] : [];
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once("SIGINT", stop);
    try {
      let prompt = words.join(" ");
      if (!prompt && !process.stdin.isTTY) {
        const chunks: Buffer[] = [];
        for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
        prompt = Buffer.concat(chunks).toString("utf8").trim();
      }
      if (prompt) {
        messages.push({ role: "user", content: prompt });
        await streamTurn(client, model, messages, controller.signal, maxTokens);
        return 0;
      }
      // Interactive chat: one readline prompt per turn; the conversation stays in this process.
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      process.stdout.write(`Chatting with ${model}. /bye or Ctrl-D to leave.\n`);
      try {
        for (;;) {
          const input = await rl.question(">>> ").catch(() => null);
          if (input === null || input.trim() === "/bye") break;
          if (!input.trim()) continue;
          messages.push({ role: "user", content: input });
          const turn = new AbortController();
          const cancelTurn = () => turn.abort();
          rl.once("SIGINT", cancelTurn);
          try {
            messages.push({
              role: "assistant",
              content: await streamTurn(client, model, messages, turn.signal, maxTokens),
            });
          } catch (error) {
            if (!turn.signal.aborted) throw error;
            messages.pop();
            process.stdout.write("\n");
          } finally {
            rl.off("SIGINT", cancelTurn);
          }
        }
      } finally {
        rl.close();
      }
      return 0;
    } catch (error) {
      if (controller.signal.aborted) return 130;
      throw error;
    } finally {
      process.off("SIGINT", stop);
    }
  },
};
