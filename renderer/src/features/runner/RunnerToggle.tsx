/** Runner status indicator with its Start/Stop toggle, in the sidebar. */
import { useEffect, useState } from "react";
import { connectionLabel } from "../../../../electron/contract/index.ts";
import { useApp } from "../../app/StoresContext.tsx";
import "./runner.css";

/** The runner's state as a coloured dot with its words for assistive technology (the folded menu). */
export function RunnerDot() {
  const status = useApp("runner", (s) => s.status);
  const reconnecting = useApp("runner", (s) => s.link !== "open" && s.status !== null);
  const state = status?.state ?? "stopped";
  const busy = (status?.busy ?? 0) > 0;
  const words = !status ? "connecting" : reconnecting ? "reconnecting" : busy ? "busy" : state;
  return (
    <>
      <span className={`dot ${reconnecting ? "reconnecting" : busy ? "busy" : state}`} aria-hidden="true" />
      <span className="visually-hidden">Runner {words}: show the menu</span>
    </>
  );
}

export function RunnerToggle() {
  const status = useApp("runner", (s) => s.status);
  const toggling = useApp("runner", (s) => s.toggling);
  const error = useApp("runner", (s) => s.error);
  const toggle = useApp("runner", (s) => s.toggle);
  // A status from before a lost connection says nothing about now.
  const reconnecting = useApp("runner", (s) => s.link !== "open" && s.status !== null);
  const connection = useApp("connection", (s) => s.connection);
  const loadConnection = useApp("connection", (s) => s.load);
  useEffect(() => void loadConnection(), [loadConnection]);
  // Stopping unloads every model (and stops replies): with models loaded, ask first.
  const [confirming, setConfirming] = useState(false);
  const state = status?.state ?? "stopped";
  const busy = (status?.busy ?? 0) > 0;
  const label = !status
    ? "Connecting…"
    : reconnecting
      ? "Reconnecting…"
      : busy
        ? `Running · ${status.busy} busy`
        : state === "running"
          ? "Running"
          : state === "stopped"
            ? "Stopped"
            : state === "starting"
              ? "Starting…"
              : "Stopping…";
  return (
    <div className="runner-toggle" role="group" aria-label="Runner">
      <div className="runner-line">
        <span className={`dot ${reconnecting ? "reconnecting" : busy ? "busy" : state}`} aria-hidden="true" />
        <span role="status" aria-label="Runner status">
          {label}
        </span>
      </div>
      {connection && (
        <div className="runner-url" aria-label="Runner in use">
          Runner: {connectionLabel(connection)}
        </div>
      )}
      {status?.url && state === "running" && !reconnecting && <div className="runner-url">{status.url}</div>}
      {status && status.loadedModels.length > 0 && (
        <div className="runner-url">{status.loadedModels.length} model(s) loaded</div>
      )}
      {confirming && state === "running" ? (
        <div className="runner-confirm" role="group" aria-label="Confirm stopping the runner">
          <span>
            Stop the runner? It unloads {status!.loadedModels.length} model(s)
            {busy ? " and stops the replies in progress" : ""}.
          </span>
          <button
            className="btn small danger"
            onClick={() => {
              setConfirming(false);
              void toggle();
            }}
          >
            Stop runner
          </button>
          <button className="btn small" autoFocus onClick={() => setConfirming(false)}>
            Keep running
          </button>
        </div>
      ) : (
        <button
          className={state === "running" ? "btn small" : "btn small primary"}
          disabled={!status || reconnecting || toggling || state === "starting" || state === "stopping"}
          onClick={() => {
            if (state === "running" && status!.loadedModels.length > 0) setConfirming(true);
            else void toggle();
          }}
        >
          {state === "running" ? "Stop runner" : "Start runner"}
        </button>
      )}
      {error && <div className="error small">{error}</div>}
    </div>
  );
}
