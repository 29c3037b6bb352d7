/** Where each tool keeps its models (environment overrides first) and how its folder is read. */
import { homedir } from "node:os";
import { dockerModelRunnerRoots, scanDockerModelRunner } from "./docker-model-runner.ts";
import { hfCacheRoots, scanHfCache } from "./hf-cache.ts";
import { janRoots, scanJan } from "./jan.ts";
import { llamaCppRoots, scanLlamaCppCache } from "./llama-cpp-cache.ts";
import { lmStudioRoots, scanLmStudio } from "./lmstudio.ts";
import { ollamaRoots, scanOllama } from "./ollama.ts";
import type { DiscoverySourceId, FoundModel } from "./types.ts";

export interface SourceLayout {
  roots(env: NodeJS.ProcessEnv, home: string): string[];
  scan(root: string): Promise<FoundModel[]>;
}

/** In order of preference when two tools hold a model of the same name. */
export const SOURCE_LAYOUTS: Record<DiscoverySourceId, SourceLayout> = {
  ollama: { roots: ollamaRoots, scan: scanOllama },
  "huggingface-cache": { roots: hfCacheRoots, scan: scanHfCache },
  lmstudio: { roots: lmStudioRoots, scan: scanLmStudio },
  "llama-cpp-cache": { roots: llamaCppRoots, scan: scanLlamaCppCache },
  "docker-model-runner": { roots: dockerModelRunnerRoots, scan: scanDockerModelRunner },
  jan: { roots: janRoots, scan: scanJan },
};

/** The folders a source reads: its default places, or those the environment names. */
export function sourceRoots(
  id: DiscoverySourceId,
  env: NodeJS.ProcessEnv,
  home = env.HOME || homedir(),
): string[] {
  return [...new Set(SOURCE_LAYOUTS[id].roots(env, home))];
}
