import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import type { Bridge } from "../../electron/contract/index.ts";
import { App } from "./app/App.tsx";
import { ipcBridge } from "./shared/bridge/ipc-bridge.ts";
import { WsBridge, bridgeUrlForPage } from "./shared/bridge/ws-bridge.ts";
import { ConnectionBanner, connectionSource } from "./app/ConnectionBanner.tsx";
import { createAppStores } from "./app/app-stores.ts";
import { StoresProvider } from "./app/StoresContext.tsx";
import "./app/styles.css";

const KEY_ITEM = "hangar.apiKey";
const connection = connectionSource();

/** Electron gives the page `window.hangar`; a browser on the runner's origin talks WebSocket. */
function pickBridge(): Bridge {
  if (window.hangar) return ipcBridge(window.hangar);
  const apiKey = sessionStorage.getItem(KEY_ITEM) ?? undefined;
  return new WsBridge({
    url: bridgeUrlForPage(window.location),
    apiKey,
    onConnection: (state) => connection.set(state),
  });
}

const bridge = pickBridge();
const stores = createAppStores(bridge);
// The sidebar must not show a stale "Running" with an active Stop while the runner cannot be reached.
if (!window.hangar) connection.subscribe(() => stores.runner.getState().setLink(connection.get()));

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <StoresProvider stores={stores}>
      {!window.hangar && (
        <ConnectionBanner
          source={connection}
          onKey={(key) => {
            sessionStorage.setItem(KEY_ITEM, key);
            window.location.reload();
          }}
        />
      )}
      <App />
    </StoresProvider>
  </StrictMode>,
);
