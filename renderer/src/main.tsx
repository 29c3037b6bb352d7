import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import type { Bridge } from "../../electron/contract/index.ts";
import { App } from "./App.tsx";
import { BridgeProvider } from "./bridge/BridgeContext.tsx";
import { ipcBridge } from "./bridge/ipc-bridge.ts";
import { WsBridge, bridgeUrlForPage } from "./bridge/ws-bridge.ts";
import { createAppStores } from "./stores/app-stores.ts";
import { StoresProvider } from "./stores/StoresContext.tsx";
import "./styles.css";

/** Electron gives the page `window.hangar`; a browser on the runner's origin talks WebSocket. */
function pickBridge(): Bridge {
  if (window.hangar) return ipcBridge(window.hangar);
  const apiKey = sessionStorage.getItem("hangar.apiKey") ?? undefined;
  return new WsBridge({ url: bridgeUrlForPage(window.location), apiKey });
}

const bridge = pickBridge();
const stores = createAppStores(bridge);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <BridgeProvider bridge={bridge}>
      <StoresProvider stores={stores}>
        <App />
      </StoresProvider>
    </BridgeProvider>
  </StrictMode>,
);
