/**
 * Parallel requests decode together. node-llama-cpp batches whatever sequences have queued a token
 * when a batch goes out, and once batches flow it sends the next one as soon as the previous ends,
 * without its dispatch schedule: the other sequences are still sampling then, so 4 streams decode in
 * batches of 1-3 tokens, each costing nearly a full pass over the weights (measured in
 * bench/peer/parallel-batching.ts: 3-token batches and 21-23 tok/s for 4 streams; with this barrier
 * every batch holds all 4 and the same streams make 22-26 tok/s, about 15% more).
 *
 * The barrier holds each sequence's decode request until every generating sequence has made one (a
 * few milliseconds at most), then lets them all into node-llama-cpp's queue at once.
 */
import type { LlamaContext } from "node-llama-cpp";

/** Longest wait for the other sequences: far below the time of one decode pass of any real model. */
const MAX_WAIT_MS = 4;

type DecodeTokens = (...args: unknown[]) => Promise<unknown>;

/**
 * Installs the barrier on `context`. `generating`: how many sequences are producing tokens now. A
 * node-llama-cpp without the internal `_decodeTokens` (a later version) keeps its own batching.
 */
export function installDecodeBarrier(context: LlamaContext, generating: () => number): boolean {
  const target = context as unknown as { _decodeTokens?: DecodeTokens };
  const original = target._decodeTokens;
  if (typeof original !== "function") return false;
  let waiting: (() => void)[] = [];
  let timer: NodeJS.Timeout | undefined;
  const release = () => {
    clearTimeout(timer);
    timer = undefined;
    const go = waiting;
    waiting = [];
    for (const enter of go) enter();
  };
  target._decodeTokens = function (this: unknown, ...args: unknown[]) {
    return new Promise<void>((enter) => {
      waiting.push(enter);
      if (waiting.length >= generating()) release();
      else timer ??= setTimeout(release, MAX_WAIT_MS);
    }).then(() => original.apply(this, args));
  };
  return true;
}
