export {
  hfClient,
  hfClientFromEnv,
  hfFetch,
  toEndpointUrl,
  authHeaders,
  DEFAULT_HF_ENDPOINT,
} from "./client.ts";
export type { HfClient, HfClientOptions } from "./client.ts";
export { HuggingFaceError } from "./errors.ts";
export type { HuggingFaceErrorCode } from "./errors.ts";
export { listRepoFiles } from "./tree.ts";
export type { HfTreeFile } from "./tree.ts";
export { selectGguf, quantOfFile, DEFAULT_QUANT } from "./select.ts";
export { resolveHuggingFace } from "./resolve.ts";
export type { HuggingFaceTarget, ResolvedHfFile, ResolvedHuggingFace } from "./resolve.ts";
export { searchHuggingFace } from "./search.ts";
export type { HfModelHit, HfSearchResult, HfSearchOptions } from "./search.ts";
export { readHuggingFaceGgufSummary, estimateHuggingFaceMemory } from "./remote-gguf.ts";
