/**
 * GGUF headers of Hugging Face files read with Range requests, so a model's memory needs are known
 * before anything is downloaded.
 */
import { readGgufSummary, type GgufSummary } from "../../gguf/metadata.ts";
import {
  estimateModelMemory,
  type ModelMemoryOptions,
  type ModelMemoryReport,
} from "../../gguf/model-memory.ts";
import { hfClient, hfFetchFunction, type HfClientOptions } from "./client.ts";
import { resolveHuggingFace, type HuggingFaceTarget, type ResolvedHfFile } from "./resolve.ts";

export async function readHuggingFaceGgufSummary(
  file: Pick<ResolvedHfFile, "url">,
  options: HfClientOptions = {},
): Promise<GgufSummary> {
  // The token is added by hfFetch for the endpoint only, never for the CDN it redirects to.
  return readGgufSummary(file.url, { fetch: hfFetchFunction(hfClient(options)) });
}

/** Resolves `hf.co/user/repo[:quant]` and estimates its memory from the weight files' headers. */
export async function estimateHuggingFaceMemory(
  target: HuggingFaceTarget,
  options: HfClientOptions = {},
  memory: Omit<ModelMemoryOptions, "fetch" | "headers"> = {},
): Promise<ModelMemoryReport & { quant: string; files: ResolvedHfFile[] }> {
  const client = hfClient(options);
  const resolved = await resolveHuggingFace(target, client);
  const weights = resolved.files.filter((f) => f.role === "gguf").map((f) => f.url);
  const report = await estimateModelMemory(weights, { ...memory, fetch: hfFetchFunction(client) });
  return { ...report, quant: resolved.quant, files: resolved.files };
}
