export { readGgufSummary, dockerGgufConfigMap, formatParameters, GgufReadError } from "./metadata.ts";
export type { GgufSummary, GgufMetadata, ReadGgufOptions } from "./metadata.ts";
export { estimateMemory, memoryFit, BASE_OVERHEAD_BYTES, KV_BYTES_PER_ELEMENT } from "./memory.ts";
export type { MemoryEstimate, MemoryEstimateOptions, MemoryFit } from "./memory.ts";
