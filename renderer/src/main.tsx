import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import type { Bridge } from "../../electron/contract/index.ts";
import { App } from "./App.tsx";
import { BridgeProvider } from "./bridge/BridgeContext.tsx";
import { ipcBridge } from "./bridge/ipc-bridge.ts";
import { WsBridge, bridgeUrlForPage } from "./bridge/ws-bridge.ts";
import { ConnectionBanner, connectionSource } from "./components/ConnectionBanner.tsx";
import { createAppStores } from "./stores/app-stores.ts";
import { StoresProvider } from "./stores/StoresContext.tsx";
import "./styles.css";

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

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <BridgeProvider bridge={bridge}>
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
    </BridgeProvider>
  </StrictMode>,
);
