// The recorder on node-llama-cpp's own generation loop, with a generated model.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  getLlama,
  LlamaLogLevel,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
  type Token,
} from "node-llama-cpp";
import { writeTinyModel } from "../../../../testkit/gguf-writer.ts";
import { LogprobsUnavailableError, TokenLogprobRecorder } from "./token-logprobs.ts";

let dir: string;
let model: LlamaModel;
let context: LlamaContext;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "hangar-logprobs-"));
  const llama = await getLlama({ gpu: false, build: "never", maxThreads: 2, logLevel: LlamaLogLevel.error });
  const modelPath = await writeTinyModel(join(dir, "tiny.gguf"), { seed: 2, validUtf8Output: true });
  model = await llama.loadModel({ modelPath, useMmap: false });
  context = await model.createContext({ contextSize: 256, threads: 2 });
});
after(async () => {
  await model?.dispose();
  await rm(dir, { recursive: true, force: true });
});

const PROMPT = "The sea is";
/** The prompt as tokens: the beginning-of-sequence token, then the text. */
const promptTokens = () => [model.tokens.bos!, ...model.tokenize(PROMPT)];

/** Generates 24 tokens greedily with the recorder on; `route` decides where each output token goes. */
async function generate(top: number, route: (recorder: TokenLogprobRecorder, token: Token) => void) {
  const sequence = context.getSequence();
  const recorder = new TokenLogprobRecorder(model, sequence, top);
  const tokens: Token[] = [];
  try {
    for await (const token of sequence.evaluate(promptTokens(), { temperature: 0 })) {
      tokens.push(token);
      route(recorder, token);
      if (tokens.length === 24) break;
    }
  } finally {
    recorder.dispose();
    await sequence.dispose();
  }
  return tokens;
}

/** The model's distribution after the prompt, read with node-llama-cpp's public (greedy) sampling. */
async function firstDistribution(): Promise<Map<Token, number>> {
  const sequence = context.getSequence();
  try {
    const iterator = sequence.evaluateWithMetadata(
      promptTokens(),
      { probabilities: true },
      { temperature: 0 },
    );
    const first = await iterator.next();
    await iterator.return(undefined);
    assert.ok(!first.done);
    return first.value.probabilities;
  } finally {
    await sequence.dispose();
  }
}

test("each output token gets the log-softmax of its position, and the most likely tokens in order", async () => {
  const entries: ReturnType<TokenLogprobRecorder["take"]> = [];
  const tokens = await generate(5, (recorder, token) => entries.push(...recorder.take([token])));
  assert.equal(entries.length, tokens.length);
  const probabilities = await firstDistribution();
  const expected = [...probabilities.entries()].slice(0, 5);
  assert.deepEqual(
    entries[0]!.top.map((alt) => alt.logprob.toFixed(5)),
    expected.map(([, p]) => Math.log(p).toFixed(5)),
  );
  assert.equal(entries[0]!.logprob.toFixed(5), Math.log(probabilities.get(tokens[0]!)!).toFixed(5));
  for (const e of entries) assert.equal(e.logprob, e.top[0]!.logprob, "greedy: the chosen token is the best");
});

test("tokens of a segment (a model's thoughts) are passed over, even where a reply token repeats one", async () => {
  const reference: ReturnType<TokenLogprobRecorder["take"]> = [];
  const tokens = await generate(2, (recorder, token) => reference.push(...recorder.take([token])));
  // The first output token that repeats an earlier one: everything before it stands for a thought.
  const repeat = tokens.findIndex((t, i) => tokens.indexOf(t) < i);
  assert.ok(repeat > 0, `the generated model repeats a token in ${tokens.join(",")}`);
  let seen = 0;
  const rest: ReturnType<TokenLogprobRecorder["take"]> = [];
  await generate(2, (recorder, token) => {
    if (seen++ < repeat) recorder.skip([token]);
    else rest.push(...recorder.take([token]));
  });
  assert.deepEqual(
    rest.map((e) => e.logprob),
    reference.slice(repeat).map((e) => e.logprob),
  );
});

test("a node-llama-cpp without the sampling internals is refused, not answered wrongly", () => {
  const bare = { context: {} } as unknown as LlamaContextSequence;
  assert.throws(() => new TokenLogprobRecorder(model, bare, 1), LogprobsUnavailableError);
});
