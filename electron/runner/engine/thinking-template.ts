/**
 * Whether a chat template lets its model think in a separate segment (Qwen3, DeepSeek-R1, QwQ, gpt-oss,
 * Magistral...). Read from the template text alone, as Ollama lists the "thinking" capability: the
 * runner answers /api/show without loading the model. The worker decides from the chat wrapper it
 * resolved (engine/worker/thinking.ts) and uses this only to know when to look further.
 */

/** Opening and closing tags of thought blocks in the templates of thinking models. */
const THOUGHT_TAGS: readonly (readonly [string, string])[] = [
  ["<think>", "</think>"], // Qwen3, DeepSeek-R1, QwQ
  ["<thought>", "</thought>"], // EXAONE Deep
  ["[THINK]", "[/THINK]"], // Magistral
  ["<|START_THINKING|>", "<|END_THINKING|>"], // Command R7B
  ["<seed:think>", "</seed:think>"], // Seed-OSS
];

export function templateMayThink(template: string | null | undefined): boolean {
  if (!template) return false;
  if (THOUGHT_TAGS.some(([open, close]) => template.includes(open) && template.includes(close))) return true;
  // Harmony (gpt-oss): reasoning goes to the "analysis" channel.
  return template.includes("<|channel|>") && template.includes("analysis");
}
