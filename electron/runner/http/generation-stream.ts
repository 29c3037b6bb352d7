/** Drives an engine generation for an HTTP handler: waits for the first event before the response is committed. */
import type { GenerationEvent, TokenLogprob, ToolCall, Usage } from "../engine/types.ts";
import type { RequestStats } from "./router.ts";

export type DoneEvent = Extract<GenerationEvent, { type: "done" }>;

/**
 * Starts the generation and returns once the engine has produced its first event, so errors such as
 * "unknown model" or "overloaded" still become a proper status code instead of a broken stream.
 */
export async function startGeneration(
  events: AsyncIterable<GenerationEvent>,
): Promise<AsyncIterator<GenerationEvent> & { first: IteratorResult<GenerationEvent> }> {
  const iterator = events[Symbol.asyncIterator]();
  // Loading is not output: waiting past it lets a failed load still answer with its own status code.
  let first = await iterator.next();
  while (!first.done && first.value.type === "loading") first = await iterator.next();
  return Object.assign(iterator, { first });
}

export async function* replay(
  it: AsyncIterator<GenerationEvent> & { first: IteratorResult<GenerationEvent> },
): AsyncGenerator<GenerationEvent> {
  if (it.first.done) return;
  yield it.first.value;
  for (;;) {
    const next = await it.next();
    if (next.done) return;
    yield next.value;
  }
}

export interface CollectedGeneration {
  text: string;
  /** What the model wrote in its thought segment ("" for none). */
  thinking: string;
  toolCalls: ToolCall[];
  /** The output tokens' log probabilities, when the request asked for them. */
  logprobs: TokenLogprob[];
  done: DoneEvent;
}

/** Runs a generation to its end (non-streaming responses). */
export async function collect(events: AsyncIterable<GenerationEvent>): Promise<CollectedGeneration> {
  let text = "";
  let thinking = "";
  const toolCalls: ToolCall[] = [];
  const logprobs: TokenLogprob[] = [];
  let done: DoneEvent | null = null;
  for await (const event of events) {
    if (event.type === "delta") {
      text += event.text;
      if (event.logprobs) logprobs.push(...event.logprobs);
    } else if (event.type === "thinking") thinking += event.text;
    else if (event.type === "tool_calls") toolCalls.push(...event.calls);
    else if (event.type === "done") done = event;
  }
  if (!done) throw new Error("the engine ended the generation without a result");
  return { text, thinking, toolCalls, logprobs, done };
}

export function recordStats(
  stats: RequestStats,
  model: string,
  done: { usage: Usage; timeToFirstTokenMs: number; tokensPerSecond: number },
): void {
  stats.model = model;
  stats.promptTokens = done.usage.promptTokens;
  stats.completionTokens = done.usage.completionTokens;
  stats.timeToFirstTokenMs = Math.round(done.timeToFirstTokenMs * 10) / 10;
  stats.tokensPerSecond = Math.round(done.tokensPerSecond * 10) / 10;
}
