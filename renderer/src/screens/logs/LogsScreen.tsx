/** Live logs: runner, engine (llama.cpp) and HTTP request lines, filtered, searchable and virtualized. */
import { useEffect, useState } from "react";
import type { Bridge } from "../../../../electron/contract/api.ts";
import { useBridge } from "../../bridge/BridgeContext.tsx";
import { createLogStore, type LogStore } from "./log-store.ts";
import { LogStoreContext, useLogs } from "./log-context.tsx";
import { LogToolbar } from "./LogToolbar.tsx";
import { LogList } from "./LogList.tsx";
import "./logs.css";

const storesByBridge = new WeakMap<Bridge, LogStore>();

/** One log store per bridge for the page's life: filters, pause and "clear" survive leaving the screen. */
function logStoreFor(bridge: Bridge): LogStore {
  let store = storesByBridge.get(bridge);
  if (!store) storesByBridge.set(bridge, (store = createLogStore(bridge)));
  return store;
}

export function LogsScreen({ store: given }: { store?: LogStore }) {
  const bridge = useBridge();
  const [store] = useState(() => given ?? logStoreFor(bridge));
  useEffect(() => {
    store.getState().connect();
    return () => store.getState().disconnect();
  }, [store]);
  return (
    <LogStoreContext.Provider value={store}>
      <div className="logs full-panel">
        <LogToolbar />
        <LogList />
        <LogStatus />
      </div>
    </LogStoreContext.Provider>
  );
}

function LogStatus() {
  useLogs((s) => s.version);
  const visible = useLogs((s) => s.visible.length);
  const held = useLogs((s) => s.buffer.length);
  const dropped = useLogs((s) => s.dropped);
  const paused = useLogs((s) => s.paused);
  const arrived = useLogs((s) => s.arrivedWhilePaused);
  const connected = useLogs((s) => s.connected);
  const error = useLogs((s) => s.error);
  return (
    <div className="log-status" role="status">
      <span className={connected ? "log-dot live" : "log-dot"} />
      <span>{error ? `Disconnected: ${error}` : connected ? "Live" : "Connecting…"}</span>
      <span>
        {visible.toLocaleString()} shown of {held.toLocaleString()} held
      </span>
      {paused && <span className="log-paused">Paused — {arrived.toLocaleString()} new lines kept</span>}
      {dropped > 0 && (
        <span className="log-dropped">{dropped.toLocaleString()} oldest lines dropped (limit reached)</span>
      )}
    </div>
  );
}
