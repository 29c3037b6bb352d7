/**
 * What `/api/show` reports from the GGUF itself: the chat template the model was trained with (when the
 * artifact packages none) and the header's metadata as `model_info`, as Ollama shows it.
 */
import { readGgufSummary } from "../gguf/metadata.ts";
import type { ResolvedModel } from "../models.ts";
import { templateMayThink } from "../engine/thinking-template.ts";

/** Arrays longer than this (token lists, merges) are left out, as Ollama does without `verbose`. */
const MAX_ARRAY = 64;

export async function ggufShowFacts(
  m: ResolvedModel,
): Promise<{ template: string; modelInfo: Record<string, unknown>; thinks: boolean }> {
  const first = m.ggufPaths[0];
  const summary = first ? await readGgufSummary(first).catch(() => null) : null;
  const modelInfo: Record<string, unknown> = { "general.architecture": m.architecture ?? "" };
  for (const [key, value] of Object.entries(summary?.metadata ?? {})) {
    if (key === "tokenizer.chat_template") continue;
    if (Array.isArray(value) && value.length > MAX_ARRAY) continue;
    modelInfo[key] = typeof value === "bigint" ? Number(value) : value;
  }
  if (m.architecture && m.contextLength) modelInfo[`${m.architecture}.context_length`] ??= m.contextLength;
  return {
    template: m.chatTemplate ?? summary?.chatTemplate ?? "",
    modelInfo,
    // The engine runs the GGUF's own template: that one decides whether the model thinks.
    thinks: templateMayThink(summary?.chatTemplate),
  };
}
