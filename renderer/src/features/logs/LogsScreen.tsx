/** Live logs: runner, engine (llama.cpp) and HTTP request lines, filtered, searchable and virtualized. */
import { useEffect } from "react";
import { useLogStore, useLogs } from "./use-logs.ts";
import { LogToolbar } from "./LogToolbar.tsx";
import { LogList } from "./LogList.tsx";
import "./logs.css";

export function LogsScreen() {
  const store = useLogStore();
  useEffect(() => {
    store.getState().connect();
    return () => store.getState().disconnect();
  }, [store]);
  return (
    <div className="logs full-panel">
      <LogToolbar />
      <LogList />
      <LogStatus />
    </div>
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
  // Only the connection state is announced: the counts change with every line and would drown a
  // screen reader; they are read when the user goes to them.
  return (
    <div className="log-status">
      <span className={connected ? "log-dot live" : "log-dot"} />
      <span role="status">{error ? `Disconnected: ${error}` : connected ? "Live" : "Connecting…"}</span>
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
