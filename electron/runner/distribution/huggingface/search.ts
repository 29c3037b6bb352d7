/**
 * Hugging Face model search (GGUF repositories only). Search is a convenience: when the Hub does not
 * answer (offline, rate limited, slow), it returns no models and the reason instead of throwing.
 */
import { humanErrorMessage } from "../network-errors.ts";
import { hfClient, hfFetch, type HfClientOptions } from "./client.ts";

export interface HfModelHit {
  /** "user/repo" */
  id: string;
  /** The reference to pull it by: "hf.co/user/repo". */
  ref: string;
  downloads: number;
  likes: number;
  tags: string[];
  pipelineTag: string | null;
}

export interface HfSearchResult {
  models: HfModelHit[];
  /** Why the search gave nothing, in one sentence ("Can't reach huggingface.co — …"); null when it answered. */
  error: string | null;
}

export interface HfSearchOptions extends HfClientOptions {
  limit?: number;
  /** Give up after this long (default 5 s): search must not hold a UI or a CLI up. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A reference or Hub address searches for its repository: "hf.co/user/repo:Q8_0" → "user/repo". */
function searchTerm(query: string): string {
  return query
    .trim()
    .replace(/^(?:https?:\/\/)?(?:hf\.co|(?:www\.)?huggingface\.co)\//i, "")
    .replace(/^([^/\s]+\/[^/:\s]+):[A-Za-z0-9_-]+$/, "$1");
}

export async function searchHuggingFace(query: string, opts: HfSearchOptions = {}): Promise<HfSearchResult> {
  const q = searchTerm(query);
  if (!q) return { models: [], error: null };
  const limit = Math.max(1, Math.min(100, Math.floor(opts.limit ?? 20)));
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? 5000);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  try {
    const client = hfClient(opts);
    const params = new URLSearchParams({
      search: q,
      filter: "gguf",
      limit: String(limit),
      sort: "downloads",
      direction: "-1",
    });
    const response = await hfFetch(client, `${client.endpoint}/api/models?${params}`, {
      headers: { Accept: "application/json" },
      signal,
    });
    if (!response.ok) {
      await response.body?.cancel();
      return { models: [], error: `Hugging Face answered HTTP ${response.status}` };
    }
    const body = (await response.json()) as unknown;
    if (!Array.isArray(body))
      return { models: [], error: "Hugging Face answered something that is not a list of models" };
    const models: HfModelHit[] = [];
    for (const m of body as Record<string, unknown>[]) {
      const id = typeof m.id === "string" ? m.id : typeof m.modelId === "string" ? m.modelId : null;
      if (!id || !/^[^/\s]+\/[^/\s]+$/.test(id)) continue;
      models.push({
        id,
        ref: `hf.co/${id}`,
        downloads: typeof m.downloads === "number" ? m.downloads : 0,
        likes: typeof m.likes === "number" ? m.likes : 0,
        tags: Array.isArray(m.tags) ? m.tags.filter((t): t is string => typeof t === "string") : [],
        pipelineTag: typeof m.pipeline_tag === "string" ? m.pipeline_tag : null,
      });
    }
    return { models: models.slice(0, limit), error: null };
  } catch (err) {
    // One sentence, said once: the UI puts it after "Hugging Face search failed:".
    const e = err as Error;
    const reason =
      e.name === "TimeoutError"
        ? "Hugging Face did not answer in time — check the connection"
        : e.name === "AbortError"
          ? "the search was cancelled"
          : humanErrorMessage(e);
    return { models: [], error: reason };
  }
}
