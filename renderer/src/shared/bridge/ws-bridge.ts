// The WebSocket bridge lives in electron/contract so the desktop app's main process can use it too.
export * from "../../../../electron/contract/ws-bridge.ts";
import { BRIDGE_PATH } from "../../../../electron/contract/index.ts";

/** The bridge URL for a page served by the runner: ws(s)://<same host>/bridge. */
export function bridgeUrlForPage(location: Location): string {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}${BRIDGE_PATH}`;
}
