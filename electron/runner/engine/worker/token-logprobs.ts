/**
 * Token log probabilities inside the normal generation loop. node-llama-cpp samples each token in a
 * callback that runs right after the batch is decoded, while that position's logits are still in the
 * context. The recorder wraps that callback on one sequence: first a greedy sampler without penalties,
 * grammar or bias reads the position's full distribution (the model's log-softmax before any sampling
 * step), then the request's own sampler picks the token as it would have anyway. So stop sequences,
 * max tokens, grammars, tools and the shared decode batches are untouched.
 *
 * node-llama-cpp 3.21.1 has no public way to read a position's logits while LlamaChat or
 * LlamaCompletion generates: its `probabilities` metadata is only reachable through a separate
 * evaluation loop and describes the distribution after the request's sampler (top-k cut, temperature,
 * grammar). The wrap uses its internal `_decodeTokens`, `_ctx.sampleToken` and `AddonSampler`; where a
 * version lacks them, `logprobs` is refused instead of answered wrongly.
 */
import type { LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import type { TokenLogprob, TokenProbability } from "../types.ts";

/** The log probability reported for a probability that underflows to zero (OpenAI's floor). */
export const LOGPROB_FLOOR = -9999;

type LogitMapper = (batchLogitIndex: number, tokenIndex: number) => unknown;
type DecodeTokens = (
  tokens: Token[],
  logits: (true | undefined)[],
  evaluationPriority: unknown,
  tokenMeter: unknown,
  contextShiftOptions: unknown,
  logitDataMapper: LogitMapper,
  afterBatchAction?: unknown,
) => Promise<unknown[]>;
interface NativeSampler {
  applyConfig(config: Record<string, unknown>): void;
  dispose(): void;
}
interface Internals {
  sequence: { _decodeTokens?: DecodeTokens };
  nativeContext?: {
    sampleToken(
      index: number,
      sampler: NativeSampler,
      probabilities: true,
      confidence: false,
    ): Promise<unknown>;
  };
  createSampler?: new (model: unknown) => NativeSampler;
  nativeModel: unknown;
}

/** What the model gave one position: the token it output and its distribution, most likely first. */
interface Position {
  token: Token;
  logprob: number;
  top: { token: Token; logprob: number }[];
}

export class LogprobsUnavailableError extends Error {}

const logOf = (p: number) => Math.min(0, Math.max(LOGPROB_FLOOR, Math.log(p)));

export class TokenLogprobRecorder {
  /** Positions generated and not yet matched to output tokens, in generation order. */
  private readonly positions: Position[] = [];
  /** The output tokens so far: the text of a token depends on the ones before it. */
  private readonly trail: Token[] = [];
  private readonly release: () => void;

  /** `top`: alternatives per token (0 to 20). Throws LogprobsUnavailableError without the internals. */
  constructor(
    private readonly model: LlamaModel,
    sequence: LlamaContextSequence,
    private readonly top: number,
  ) {
    const internals = internalsOf(model, sequence);
    const decode = internals.sequence._decodeTokens;
    const native = internals.nativeContext;
    if (typeof decode !== "function" || !native || typeof internals.createSampler !== "function")
      throw new LogprobsUnavailableError(
        "logprobs are not available with this version of node-llama-cpp (its sampling internals changed)",
      );
    const sampler = new internals.createSampler(internals.nativeModel);
    // Temperature 0 is a lone greedy sampler: the distribution it reports is the plain softmax of the logits.
    sampler.applyConfig({ temperature: 0 });
    let disposed = false;
    // The native read in flight: the sampler is freed only once it is done with it.
    let reading: Promise<unknown> = Promise.resolve();
    const record = (token: unknown, flat: unknown) => {
      if (typeof token === "number" && token >= 0 && Array.isArray(flat)) this.record(token as Token, flat);
    };
    internals.sequence._decodeTokens = function (this: unknown, ...args: Parameters<DecodeTokens>) {
      const mapper = args[5];
      args[5] = async (batchLogitIndex, tokenIndex) => {
        // A decode still queued when the request ended (cancelled) finds the sampler gone: it samples
        // as usual, and whatever the extra read hits never fails the batch other requests share.
        const read = disposed
          ? undefined
          : native
              .sampleToken(batchLogitIndex, sampler, true, false)
              .then((result) => (result as [number, unknown])[1])
              .catch(() => undefined);
        if (read) reading = read;
        const flat = await read;
        const chosen = await mapper(batchLogitIndex, tokenIndex);
        if (!disposed) record(Array.isArray(chosen) ? chosen[0] : chosen, flat);
        return chosen;
      };
      return decode.apply(this, args);
    };
    this.release = () => {
      disposed = true;
      delete internals.sequence._decodeTokens;
      void reading.finally(() => sampler.dispose());
    };
  }

  /**
   * The log probabilities of these output tokens (node-llama-cpp's onToken, in order). Generated tokens
   * that never became output (an end-of-generation token, a stop sequence, a function call's syntax) are
   * passed over.
   */
  take(tokens: readonly Token[]): TokenLogprob[] {
    const out: TokenLogprob[] = [];
    for (const token of tokens) {
      const position = this.consume(token);
      if (position)
        out.push({
          ...this.describe(token, position.logprob),
          top: position.top.map((alt) => this.describe(alt.token, alt.logprob)),
        });
      this.trail.push(token);
    }
    return out;
  }

  /**
   * Generated tokens that are not output (a thought segment): their positions are passed over, so that a
   * reply token is never matched to an earlier thought token with the same id.
   */
  skip(tokens: readonly Token[]): void {
    for (const token of tokens) this.consume(token);
  }

  dispose(): void {
    this.release();
  }

  /** The first position not yet matched that generated `token`; those before it are passed over. */
  private consume(token: Token): Position | undefined {
    const at = this.positions.findIndex((p) => p.token === token);
    return at < 0 ? undefined : this.positions.splice(0, at + 1).at(-1);
  }

  /** `flat`: node-llama-cpp's [token, probability, token, probability, …], most likely first. */
  private record(token: Token, flat: unknown[]): void {
    let chosen = 0;
    for (let i = 0; i < flat.length; i += 2)
      if (flat[i] === token) {
        chosen = flat[i + 1] as number;
        break;
      }
    const top: Position["top"] = [];
    for (let i = 0; i < flat.length && top.length < this.top; i += 2)
      top.push({ token: flat[i] as Token, logprob: logOf(flat[i + 1] as number) });
    this.positions.push({ token, logprob: logOf(chosen), top });
  }

  private describe(token: Token, logprob: number): TokenProbability {
    const text = this.model.detokenize([token], false, this.trail);
    return { token: text, logprob, bytes: [...Buffer.from(text, "utf8")] };
  }
}

function internalsOf(model: LlamaModel, sequence: LlamaContextSequence): Internals {
  const m = model as unknown as {
    _model?: unknown;
    _llama?: { _bindings?: { AddonSampler?: Internals["createSampler"] } };
  };
  const context = sequence.context as unknown as { _ctx?: Internals["nativeContext"] };
  const nativeContext = context._ctx;
  return {
    sequence: sequence as unknown as Internals["sequence"],
    ...(nativeContext && typeof nativeContext.sampleToken === "function" ? { nativeContext } : {}),
    ...(m._llama?._bindings?.AddonSampler ? { createSampler: m._llama._bindings.AddonSampler } : {}),
    nativeModel: m._model,
  };
}
