/**
 * A scripted model: a llama-architecture GGUF whose every sampled token follows a fixed chain, so tests
 * can see a model "think". Generated models with random weights never write a thought; this one answers
 * every chat with
 *
 *   <think>\nI should greet.\n</think>\n\nHello!<|im_end|>
 *
 * (with its chat template's thinking switched off, the template's empty think block ends the prompt in
 * "\n\n" and the answer is just "Hello!").
 *
 * How: every block's attention output and FFN down weights are zero, so the residual stream at a position
 * is that token's embedding; embeddings are one-hot (the embedding is as long as the vocabulary), and the
 * final RMSNorm keeps a one-hot one-hot. `output.weight` is a transition matrix: the next token's row has
 * a large value at the current token's column, so the argmax (and, with logits this far apart, any
 * sampling) gives the chain's next token. A token off the chain leads to <|im_end|>.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { ALIGNMENT, ggufHeader, paddedSize, plainMeta, ValueType, type MetaValue } from "./gguf-encoding.ts";
import { buildVocabulary } from "./gguf-writer.ts";
import { importGguf } from "../electron/runner/distribution/packaging/package-model.ts";
import type { ModelStore } from "../electron/runner/store/model-store.ts";

/**
 * Qwen3's shape: reasoning in <think> blocks, `enable_thinking` false renders an empty one. The default
 * system message (as Qwen2.5 and QwQ templates have) keeps node-llama-cpp from taking the template for
 * plain ChatML, whose wrapper knows no thoughts: it renders the template itself.
 */
export const THINKING_TEMPLATE = [
  "{%- if not messages or messages[0].role != 'system' %}",
  "{{- '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}",
  "{%- endif %}",
  "{%- for message in messages %}",
  "{%- if message.role == 'assistant' %}",
  "{{- '<|im_start|>assistant\\n' }}",
  "{%- if message.reasoning_content is defined and message.reasoning_content %}",
  "{{- '<think>\\n' + message.reasoning_content + '\\n</think>\\n\\n' }}",
  "{%- endif %}",
  "{{- message.content + '<|im_end|>\\n' }}",
  "{%- else %}",
  "{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' }}",
  "{%- endif %}",
  "{%- endfor %}",
  "{%- if add_generation_prompt %}",
  "{{- '<|im_start|>assistant\\n' }}",
  "{%- if enable_thinking is defined and not enable_thinking %}",
  "{{- '<think>\\n\\n</think>\\n\\n' }}",
  "{%- endif %}",
  "{%- endif %}",
].join("");

/** The thought and the answer the scripted model writes. */
export const SCRIPTED_THOUGHT = "I should greet.";
export const SCRIPTED_ANSWER = "Hello!";

/** Tokens the script needs beyond the test vocabulary (type 4: user-defined, as Qwen3 stores its think tags). */
const EXTRA_TOKENS: [string, number][] = [
  ["<think>", 4],
  ["</think>", 4],
  ["\n\n", 1],
  ["\nI", 1],
  ["▁should", 1],
  ["▁greet.\n", 1],
  ["Hello", 1],
];

/** The chain, from the prompt's last token ("\n" after "<|im_start|>assistant") to the end of the turn. */
const SCRIPT = [
  "<0x0A>",
  "<think>",
  "\nI",
  "▁should",
  "▁greet.\n",
  "</think>",
  "\n\n",
  "Hello",
  "!",
  "<|im_end|>",
];

const LOGIT = 20;

export interface ScriptedModelOptions {
  name?: string;
  contextLength?: number;
}

/** Writes the scripted model to `path` atomically and returns the path. */
export async function writeScriptedModel(path: string, options: ScriptedModelOptions = {}): Promise<string> {
  const base = buildVocabulary(306);
  const tokens = [...base.tokens, ...EXTRA_TOKENS.map(([t]) => t)];
  const types = [...base.types, ...EXTRA_TOKENS.map(([, type]) => type)];
  const scores = [...base.scores, ...EXTRA_TOKENS.map((_, i) => -(base.tokens.length + i))];
  const vocab = tokens.length;
  const id = (token: string) => {
    const index = tokens.indexOf(token);
    if (index < 0) throw new Error(`the scripted model's vocabulary lacks ${JSON.stringify(token)}`);
    return index;
  };
  const end = id("<|im_end|>");
  const next = new Array<number>(vocab).fill(end);
  for (let i = 0; i + 1 < SCRIPT.length; i++) next[id(SCRIPT[i]!)] = id(SCRIPT[i + 1]!);

  const headCount = 4;
  const embedding = Math.ceil(vocab / (headCount * 2)) * headCount * 2;
  const ffn = 32;
  const oneHot = new Float32Array(embedding * vocab);
  for (let t = 0; t < vocab; t++) oneHot[t * embedding + t] = 1;
  const transitions = new Float32Array(embedding * vocab);
  for (let current = 0; current < vocab; current++) transitions[next[current]! * embedding + current] = LOGIT;
  const ones = (n: number) => new Float32Array(n).fill(1);
  const zeros = (n: number) => new Float32Array(n);
  const tensors: { name: string; dims: number[]; data: Float32Array }[] = [
    { name: "token_embd.weight", dims: [embedding, vocab], data: oneHot },
    { name: "output_norm.weight", dims: [embedding], data: ones(embedding) },
    { name: "output.weight", dims: [embedding, vocab], data: transitions },
    { name: "blk.0.attn_norm.weight", dims: [embedding], data: ones(embedding) },
    { name: "blk.0.attn_q.weight", dims: [embedding, embedding], data: zeros(embedding * embedding) },
    { name: "blk.0.attn_k.weight", dims: [embedding, embedding], data: zeros(embedding * embedding) },
    { name: "blk.0.attn_v.weight", dims: [embedding, embedding], data: zeros(embedding * embedding) },
    { name: "blk.0.attn_output.weight", dims: [embedding, embedding], data: zeros(embedding * embedding) },
    { name: "blk.0.ffn_norm.weight", dims: [embedding], data: ones(embedding) },
    { name: "blk.0.ffn_gate.weight", dims: [embedding, ffn], data: zeros(embedding * ffn) },
    { name: "blk.0.ffn_up.weight", dims: [embedding, ffn], data: zeros(embedding * ffn) },
    { name: "blk.0.ffn_down.weight", dims: [ffn, embedding], data: zeros(embedding * ffn) },
  ];
  const meta: [string, MetaValue][] = [
    ...plainMeta({
      "general.architecture": "llama",
      "general.name": options.name ?? "hangar-scripted-thinker",
      "general.file_type": 0,
      "general.alignment": ALIGNMENT,
      "llama.context_length": options.contextLength ?? 1024,
      "llama.embedding_length": embedding,
      "llama.block_count": 1,
      "llama.feed_forward_length": ffn,
      "llama.attention.head_count": headCount,
      "llama.attention.head_count_kv": headCount,
      "llama.rope.dimension_count": embedding / headCount,
      "llama.vocab_size": vocab,
      "tokenizer.ggml.model": "llama",
      "tokenizer.ggml.unknown_token_id": 0,
      "tokenizer.ggml.bos_token_id": 1,
      "tokenizer.ggml.eos_token_id": end,
      "tokenizer.ggml.add_bos_token": true,
      // As in Qwen's tokenizer: text after a special token gets no "▁" (which would make "<think>\n"
      // tokenize to "<think> \n" and never match what the model writes).
      "tokenizer.ggml.add_space_prefix": false,
      "tokenizer.chat_template": THINKING_TEMPLATE,
    }),
    ["llama.attention.layer_norm_rms_epsilon", { t: ValueType.FLOAT32, v: 1e-5 }],
    ["tokenizer.ggml.tokens", { t: ValueType.ARRAY, of: ValueType.STRING, v: tokens }],
    ["tokenizer.ggml.scores", { t: ValueType.ARRAY, of: ValueType.FLOAT32, v: scores }],
    ["tokenizer.ggml.token_type", { t: ValueType.ARRAY, of: ValueType.INT32, v: types }],
  ];
  const parts: Buffer[] = [
    ggufHeader(
      meta,
      tensors.map((t) => ({ name: t.name, dims: t.dims, ggmlType: 0, byteSize: t.data.byteLength })),
    ),
  ];
  for (const t of tensors) {
    parts.push(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    parts.push(Buffer.alloc(paddedSize(t.data.byteLength) - t.data.byteLength));
  }
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, Buffer.concat(parts));
  await rename(tmp, path);
  return path;
}

/** The reference the scripted model gets in a test runner's store. */
export const THINKER_MODEL = "local/thinker:1";

/** Writes the scripted model into `home` and imports it into `library` as THINKER_MODEL. */
export async function importScriptedModel(library: ModelStore, home: string): Promise<string> {
  const path = await writeScriptedModel(join(home, "thinker.gguf"));
  return (await importGguf(library, path, THINKER_MODEL)).ref;
}
