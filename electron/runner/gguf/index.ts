export { readGgufSummary, dockerGgufConfigMap, formatParameters, GgufReadError } from "./metadata.ts";
export type { GgufSummary, GgufMetadata, ReadGgufOptions } from "./metadata.ts";
export { estimateMemory, memoryFit, BASE_OVERHEAD_BYTES, KV_BYTES_PER_ELEMENT } from "./memory.ts";
export type { MemoryEstimate, MemoryEstimateOptions, MemoryFit } from "./memory.ts";
export {
  estimateModelMemory,
  formatMemoryReport,
  formatBytes,
  DEFAULT_ESTIMATE_CONTEXT,
} from "./model-memory.ts";
export type { ModelMemoryReport, ModelMemoryOptions } from "./model-memory.ts";
export { displayMetadata } from "./display-metadata.ts";
