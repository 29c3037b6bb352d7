/**
 * Token log probabilities as the APIs ask for them and answer with them: OpenAI chat
 * (`logprobs`/`top_logprobs`, answered as `{content: [...]}`), OpenAI completions (`logprobs: N`,
 * answered as parallel lists) and Ollama (`logprobs`/`top_logprobs`, answered as a list per chunk).
 */
import { ValidationError } from "../../contract/validate.ts";
import { MAX_TOP_LOGPROBS, type TokenLogprob, type TokenProbability } from "../engine/types.ts";

/** A count of alternatives per token, refused with the field and its range when it is not one. */
export function logprobCount(value: unknown, field: string, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > max)
    throw new ValidationError(
      `${field} must be an integer from 0 to ${max} (got ${JSON.stringify(value) ?? "nothing"})`,
    );
  return value;
}

/**
 * `logprobs: true` with `top_logprobs: 0..20` (OpenAI chat, Ollama): the engine's count of alternatives,
 * or undefined when no log probabilities are asked for. `top_logprobs` alone is refused, as OpenAI does.
 */
export function requestedLogprobs(body: { logprobs?: unknown; top_logprobs?: unknown }): number | undefined {
  // null is absent, as everywhere in the APIs.
  const logprobs = body.logprobs ?? undefined;
  const top = body.top_logprobs ?? undefined;
  if (logprobs !== undefined && typeof logprobs !== "boolean")
    throw new ValidationError(`logprobs must be true or false (got ${JSON.stringify(logprobs)})`);
  const count = top === undefined ? undefined : logprobCount(top, "top_logprobs", MAX_TOP_LOGPROBS);
  if (logprobs !== true) {
    if (count) throw new ValidationError("top_logprobs needs logprobs: true");
    return undefined;
  }
  return count ?? 0;
}

const openAiProbability = (p: TokenProbability) => ({ token: p.token, logprob: p.logprob, bytes: p.bytes });

/** OpenAI's token list (chat's `logprobs.content`, the Responses API's `output_text.logprobs`). */
export const openAiTokenLogprobs = (entries: TokenLogprob[]) =>
  entries.map((e) => ({ ...openAiProbability(e), top_logprobs: e.top.map(openAiProbability) }));

/** OpenAI chat's `choices[].logprobs` (whole or per chunk); null when none were asked for. */
export function openAiChatLogprobs(asked: number | undefined, entries: TokenLogprob[]) {
  if (asked === undefined) return null;
  return { content: openAiTokenLogprobs(entries), refusal: null };
}

/**
 * OpenAI completions' `choices[].logprobs`: parallel lists, each alternative list a token → logprob map
 * holding the chosen token too (so up to N + 1 entries, as OpenAI documents). `offset`: where the first
 * token's text starts in the choice's text.
 */
export function openAiCompletionLogprobs(asked: number | undefined, entries: TokenLogprob[], offset = 0) {
  if (asked === undefined) return null;
  const textOffset: number[] = [];
  let at = offset;
  for (const e of entries) {
    textOffset.push(at);
    at += e.token.length;
  }
  return {
    tokens: entries.map((e) => e.token),
    token_logprobs: entries.map((e) => e.logprob),
    top_logprobs: entries.map((e) => {
      const top: Record<string, number> = {};
      for (const alt of e.top) top[alt.token] ??= alt.logprob;
      top[e.token] ??= e.logprob;
      return top;
    }),
    text_offset: textOffset,
  };
}

/** Ollama's `logprobs` list (api/types.go `Logprob`); `top_logprobs` only when alternatives were asked. */
export function ollamaLogprobs(asked: number | undefined, entries: TokenLogprob[]) {
  if (asked === undefined) return undefined;
  return entries.map((e) => ({
    token: e.token,
    logprob: e.logprob,
    bytes: e.bytes,
    ...(asked > 0
      ? { top_logprobs: e.top.map((t) => ({ token: t.token, logprob: t.logprob, bytes: t.bytes })) }
      : {}),
  }));
}
