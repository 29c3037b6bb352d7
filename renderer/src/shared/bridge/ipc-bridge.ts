/** Bridge over the Electron preload (`window.hangar`): one IPC method per operation, a MessagePort per stream. */
import type { Bridge, PreloadApi } from "../../../../electron/contract/index.ts";

declare global {
  interface Window {
    hangar?: PreloadApi;
  }
}

export function ipcBridge(api: PreloadApi): Bridge {
  return {
    call: (method, params) => (api.methods[method] as (p: unknown) => Promise<never>)(params),
    subscribe: (stream, params, listener) => api.subscribe(stream, params, listener),
  };
}
