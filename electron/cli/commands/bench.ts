import { parseArgs } from "node:util";
import { runnerClient } from "../runner-client.ts";
import { benchModel } from "../model-bench.ts";
import type { Command } from "../command.ts";

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer (got ${value})`);
  return n;
}

export const bench: Command = {
  name: "bench",
  usage:
    "bench REF [--runs N] [--prompt-tokens N] [--tokens N] [--json]   load time, TTFT, prompt and decode tok/s",
  async run(argv) {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        runs: { type: "string" },
        "prompt-tokens": { type: "string" },
        tokens: { type: "string" },
        json: { type: "boolean" },
      },
    });
    if (positionals.length !== 1) {
      process.stderr.write("usage: hangar bench REF [--runs N] [--prompt-tokens N] [--tokens N] [--json]\n");
      return 2;
    }
    const model = positionals[0]!;
    const options = {
      runs: positiveInteger("runs", values.runs, 3),
      promptTokens: positiveInteger("prompt-tokens", values["prompt-tokens"], 512),
      tokens: positiveInteger("tokens", values.tokens, 128),
    };
    const client = await runnerClient();
    const result = await benchModel(client, model, {
      ...options,
      onStep: (step) => process.stderr.write(`${step}…\n`),
    });
    if (values.json) {
      console.log(JSON.stringify(result, null, 2));
      return 0;
    }
    const m = result.median;
    const last = result.runs.at(-1)!;
    console.log(`${model} on this machine (median of ${options.runs} runs, through ${client.url})`);
    console.log(`  load                 ${(result.loadMs / 1000).toFixed(2)} s`);
    if (result.weights)
      console.log(
        `  weights              ${result.weights === "memory" ? "in memory" : "mapped from the file"}` +
          (result.weightsSettleMs === undefined
            ? ""
            : ` (moved ${(result.weightsSettleMs / 1000).toFixed(1)} s after the load, while idle)`),
      );
    console.log(`  time to first token  ${Math.round(m.ttftMs)} ms`);
    console.log(
      `  prompt processing    ${m.promptTokensPerSecond.toFixed(1)} tok/s (${last.promptTokens} tokens)`,
    );
    console.log(
      `  decode               ${m.decodeTokensPerSecond.toFixed(1)} tok/s (${last.completionTokens} tokens)`,
    );
    if (last.completionTokens < options.tokens)
      console.log(`  (the model ended its reply after ${last.completionTokens} of ${options.tokens} tokens)`);
    return 0;
  },
};
