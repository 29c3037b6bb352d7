/**
 * A model's packaged defaults, as Ollama keeps them: a "params" layer (JSON request options such as
 * stop, temperature, num_predict) and a "system" layer. They fill in what a request leaves out; what a
 * request sets always wins, and a request that brings its own system message keeps it alone.
 */
import type { ResolvedModel } from "../models.ts";
import type { ChatMessage, SamplingOptions } from "./types.ts";

/** Ollama's option names of the packaged parameters Hangar applies, and the request field of each. */
export const MODEL_PARAMETERS = {
  temperature: "temperature",
  top_p: "topP",
  top_k: "topK",
  num_predict: "maxTokens",
  stop: "stop",
  seed: "seed",
  repeat_penalty: "repeatPenalty",
  presence_penalty: "presencePenalty",
  frequency_penalty: "frequencyPenalty",
} as const satisfies Record<string, keyof SamplingOptions>;

/** The sampling options a params layer sets; values of the wrong type are left out, not guessed. */
export function samplingDefaults(params: Record<string, unknown> | null): SamplingOptions {
  const out: SamplingOptions = {};
  if (!params) return out;
  for (const [name, field] of Object.entries(MODEL_PARAMETERS)) {
    const value = params[name];
    if (field === "stop") {
      const stops = (Array.isArray(value) ? value : [value]).filter(
        (s): s is string => typeof s === "string",
      );
      if (stops.length) out.stop = stops;
    } else if (typeof value === "number" && Number.isFinite(value)) {
      // num_predict -1 (or -2) means "no limit" in Ollama: nothing to fill in.
      if (field === "maxTokens" && value <= 0) continue;
      out[field] = value;
    }
  }
  return out;
}

/** The request with the model's defaults under it. */
export function withModelDefaults<T extends SamplingOptions>(
  request: T,
  model: Pick<ResolvedModel, "params">,
): T {
  const defaults = samplingDefaults(model.params);
  const out = { ...request };
  for (const [field, value] of Object.entries(defaults) as [keyof SamplingOptions, never][])
    if (out[field] === undefined) out[field] = value;
  return out;
}

/** The messages with the model's system prompt first, unless they bring a system message of their own. */
export function withSystemPrompt(
  messages: ChatMessage[],
  model: Pick<ResolvedModel, "systemPrompt">,
): ChatMessage[] {
  if (!model.systemPrompt || messages.some((m) => m.role === "system")) return messages;
  return [{ role: "system", content: model.systemPrompt }, ...messages];
}
