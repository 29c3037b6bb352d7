/** How distribution reaches registries and Hugging Face: the fetch to use and the environment for credentials. */
import { nodeFetch } from "./transfer/node-fetch.ts";

export interface RegistryAccess {
  /** For registry and Hugging Face requests; blob bodies too when given (else `nodeFetch`, faster). */
  fetch?: typeof fetch;
  /** Where credentials and tokens are looked up (HANGAR_HOME, DOCKER_CONFIG, HF_TOKEN); default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface ResolvedAccess {
  fetch: typeof fetch;
  /** Fetches blob bodies: what `fetch` took the longest over. */
  downloadFetch: typeof fetch;
  env: NodeJS.ProcessEnv;
}

export function resolveAccess(access: RegistryAccess): ResolvedAccess {
  return {
    fetch: access.fetch ?? fetch,
    downloadFetch: access.fetch ?? nodeFetch,
    env: access.env ?? process.env,
  };
}
