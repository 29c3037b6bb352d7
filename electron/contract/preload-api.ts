/**
 * The object the Electron preload exposes as `window.hangar`: one function per method of the contract
 * (generated from methodNames) and `subscribe` for streams. Nothing else reaches the page.
 */
import type { Bridge, MethodName, MethodParams, MethodResult } from "./api.ts";
import type { Result } from "./result.ts";

export type PreloadMethods = {
  [M in MethodName]: (params: MethodParams<M>) => Promise<Result<MethodResult<M>>>;
};

export interface PreloadApi {
  methods: PreloadMethods;
  subscribe: Bridge["subscribe"];
}

/** IPC channel names between preload and main. */
export const IPC_CALL = "hangar:call";
export const IPC_SUBSCRIBE = "hangar:subscribe";
