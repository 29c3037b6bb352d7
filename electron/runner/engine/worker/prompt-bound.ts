/**
 * A long prompt is measured in tokens, slice by slice, before node-llama-cpp tokenizes it whole.
 *
 * llama.cpp tokenizes in one synchronous native call whose time grows faster than the length of a
 * run without spaces (a 64 KB word: 0.4 s here; 512 KB: minutes), and nothing stops it once started.
 * The byte bound before it (context size × the longest token) is loose for a large context. Counting
 * in slices lets a cancelled request stop between two slices, lets the other requests' tokens flow
 * meanwhile, and stops as soon as the count passes the context: a prompt that cannot fit is then
 * never tokenized whole. A prompt that fits has at most a context of tokens, which tokenizes quickly.
 */

/** Prompts above this size are counted first; below it, tokenizing whole takes milliseconds. */
export const COUNT_PROMPTS_ABOVE_BYTES = 32 * 1024;
/** Characters per slice: a few milliseconds of tokenizing each. */
const SLICE_CHARS = 8192;
/** How far back from a slice's end to look for a space to cut at. */
const CUT_LOOKBACK = 256;

export class PromptCancelledError extends Error {
  constructor() {
    super("cancelled while measuring the prompt");
  }
}

/** Slices of `text` of at most SLICE_CHARS characters, cut after a space where one is near. */
export function* promptSlices(text: string): Generator<string> {
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + SLICE_CHARS);
    if (end < text.length) {
      const space = text.lastIndexOf(" ", end);
      if (space > end - CUT_LOOKBACK && space > start) end = space + 1;
      // Never between the two halves of a surrogate pair.
      else if (/[\uD800-\uDBFF]/.test(text[end - 1]!)) end--;
    }
    yield text.slice(start, end);
    start = end;
  }
}

/**
 * The token count of `texts` once it is certain to pass `limit`, or undefined when it fits. Each slice
 * is tokenized on its own, which can add a token or two at a cut: the count only decides once it
 * passes the limit by more than that.
 */
export async function tokensBeyondLimit(
  tokenize: (text: string) => number,
  texts: readonly string[],
  limit: number,
  signal: AbortSignal,
): Promise<number | undefined> {
  let counted = 0;
  let slices = 0;
  for (const text of texts)
    for (const slice of promptSlices(text)) {
      // Between slices the worker answers other messages: a cancel, the other sequences' tokens.
      await new Promise((resolve) => setImmediate(resolve));
      if (signal.aborted) throw new PromptCancelledError();
      counted += tokenize(slice);
      slices++;
      if (counted - 2 * slices > limit) return counted;
    }
  return undefined;
}
