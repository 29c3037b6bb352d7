/**
 * When the worker's context sends a batch to llama.cpp. node-llama-cpp's default ("nextCycle") sends it
 * on the next event-loop turn after the first sequence queues a token; the other generating sequences
 * are often still sampling or handling their previous token then, so parallel streams decode in
 * fragments (batches of 1-3 tokens for 4 streams) and each fragment costs nearly a full pass over the
 * weights. This schedule waits, a few milliseconds at most, until every generating sequence has queued.
 */
import type { CustomBatchingDispatchSchedule, LlamaContext } from "node-llama-cpp";

/** Longest wait for the other sequences: far below the time of one decode pass of any real model. */
const MAX_WAIT_MS = 4;

/**
 * `generating`: how many sequences are producing tokens now; `context`: the context the schedule
 * belongs to (known after it is created).
 */
export function batchDispatch(
  generating: () => number,
  context: () => LlamaContext | undefined,
): CustomBatchingDispatchSchedule {
  return (dispatch) => {
    const started = performance.now();
    const check = () => {
      const queued = queuedSequences(context());
      if (queued === undefined || queued >= generating() || performance.now() - started >= MAX_WAIT_MS)
        dispatch();
      else setImmediate(check);
    };
    setImmediate(check);
  };
}

/**
 * How many sequences have a decode queued. node-llama-cpp 3.21 keeps that in a private set; if a
 * later version drops it, the schedule falls back to dispatching on the next turn, as the default does.
 */
function queuedSequences(context: LlamaContext | undefined): number | undefined {
  const ids = (context as unknown as { _queuedDecodeSequenceIds?: unknown } | undefined)
    ?._queuedDecodeSequenceIds;
  return ids instanceof Set ? ids.size : undefined;
}
