/**
 * Browser mode only: says when the bridge cannot reach the runner, and takes an API key when the
 * runner asks for one (a browser cannot send an Authorization header on a WebSocket, so the key is
 * kept for this tab and offered as a subprotocol).
 */
import { useState, useSyncExternalStore } from "react";
import type { ConnectionState } from "../shared/bridge/ws-bridge.ts";

export interface ConnectionSource {
  get(): ConnectionState;
  subscribe(listener: () => void): () => void;
}

export function connectionSource(): ConnectionSource & { set(state: ConnectionState): void } {
  let state: ConnectionState = "connecting";
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set(next) {
      // A retry after a failure stays "closed" until it succeeds, so the banner does not flicker.
      if (next === "connecting" && state === "closed") return;
      state = next;
      listeners.forEach((l) => l());
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function ConnectionBanner({ source, onKey }: { source: ConnectionSource; onKey(key: string): void }) {
  const state = useSyncExternalStore(source.subscribe, source.get);
  const [key, setKey] = useState("");
  if (state !== "closed") return null;
  return (
    <form
      className="connection-banner"
      role="alert"
      onSubmit={(e) => {
        e.preventDefault();
        if (key.trim()) onKey(key.trim());
      }}
    >
      <span>Cannot reach the runner; retrying. If it requires an API key, enter it:</span>
      <input aria-label="API key" type="password" value={key} onChange={(e) => setKey(e.target.value)} />
      <button className="btn small primary" type="submit" disabled={!key.trim()}>
        Connect
      </button>
    </form>
  );
}
