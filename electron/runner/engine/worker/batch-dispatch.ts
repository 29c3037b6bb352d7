/**
 * Parallel requests decode together, in one pass over the weights.
 *
 * node-llama-cpp gives each sequence its own KV cache stream, and llama.cpp then splits a batch into
 * passes of consecutive, increasing sequence ids (`split_equal(..., sequential)`): tokens of
 * sequences 0,1,2,3 decode in one pass, while 3,1,0,2 take three and 0,2 take two. Measured on a
 * 1.1 GB Q8_0 model with 2 threads (bench/peer/batch-order.ts): a 4-token batch in id order decodes
 * in 73 ms, shuffled in 139 ms, one token alone in 39 ms. node-llama-cpp queues tokens in the order
 * sequences finish sampling, and hands out freed sequence ids in the order they were freed, so both
 * orders drift. And once batches flow it sends the next one as soon as the previous ends, when the
 * other sequences are still sampling (batches of 1-3 tokens instead of 4).
 *
 * The barrier holds each sequence's decode request until every generating sequence has made one (a
 * few milliseconds at most), then lets them into node-llama-cpp's queue at once, in sequence-id
 * order; a sequence that missed a batch waits for the one in flight instead of decoding alone; and a
 * new sequence takes the lowest free id, so the sequences generating together are consecutive.
 */
import type { LlamaContext } from "node-llama-cpp";

/** Longest wait for the other sequences: far below the time of one decode pass of any real model. */
const MAX_WAIT_MS = 4;

type DecodeTokens = (request: { sequenceId?: number }, ...rest: unknown[]) => Promise<unknown>;

interface ContextInternals {
  _decodeTokens?: DecodeTokens;
  _popSequenceId?: () => number | null;
  _unusedSequenceIds?: number[];
}

/**
 * Installs the barrier on `context`. `generating`: how many sequences are producing tokens now. A
 * node-llama-cpp without the internal `_decodeTokens` (a later version) keeps its own batching.
 */
export function installDecodeBarrier(context: LlamaContext, generating: () => number): boolean {
  const target = context as unknown as ContextInternals;
  const original = target._decodeTokens;
  if (typeof original !== "function") return false;
  preferLowestSequenceIds(target);
  let waiting: { sequenceId: number; enter: () => void }[] = [];
  let timer: NodeJS.Timeout | undefined;
  /** Decode requests let into node-llama-cpp's queue and not answered yet. */
  let inFlight = 0;
  const release = () => {
    clearTimeout(timer);
    timer = undefined;
    const go = waiting.sort((a, b) => a.sequenceId - b.sequenceId);
    waiting = [];
    for (const { enter } of go) enter();
  };
  // A sequence that missed a batch waits for the one in flight, then joins the others as they come
  // back from sampling: released alone, it would stay out of step with them for the whole reply.
  const arm = () => {
    if (timer !== undefined || waiting.length === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (inFlight === 0) release();
    }, MAX_WAIT_MS);
  };
  target._decodeTokens = function (this: unknown, request, ...rest) {
    return new Promise((resolve, reject) => {
      const enter = () => {
        inFlight++;
        original
          .call(this, request, ...rest)
          .finally(() => {
            if (--inFlight === 0) arm();
          })
          .then(resolve, reject);
      };
      waiting.push({ sequenceId: request?.sequenceId ?? 0, enter });
      if (waiting.length >= generating()) release();
      else arm();
    });
  };
  return true;
}

/** A new sequence takes the lowest free id (node-llama-cpp reuses freed ids in the order freed). */
function preferLowestSequenceIds(target: ContextInternals): void {
  const pop = target._popSequenceId;
  if (typeof pop !== "function") return;
  target._popSequenceId = function (this: ContextInternals) {
    this._unusedSequenceIds?.sort((a, b) => a - b);
    return pop.call(this);
  };
}
