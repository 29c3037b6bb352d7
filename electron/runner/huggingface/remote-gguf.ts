/** Reads a resolved Hugging Face file's GGUF header with Range requests, to estimate memory before download. */
import { readGgufSummary, type GgufSummary } from "../gguf/metadata.ts";
import { hfClient, hfFetchFunction, type HfClientOptions } from "./client.ts";
import type { ResolvedHfFile } from "./resolve.ts";

export async function readHuggingFaceGgufSummary(
  file: Pick<ResolvedHfFile, "url">,
  options: HfClientOptions = {},
): Promise<GgufSummary> {
  // The token is added by hfFetch for the endpoint only, never for the CDN it redirects to.
  return readGgufSummary(file.url, { fetch: hfFetchFunction(hfClient(options)) });
}
