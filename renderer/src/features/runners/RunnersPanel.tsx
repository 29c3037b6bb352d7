/** Settings → Runners: work with the runner on this computer, or with a remote one (URL and API key). */
import { useEffect, useState } from "react";
import { connectionLabel } from "../../../../electron/contract/index.ts";
import { useApp } from "../../app/StoresContext.tsx";

export function RunnersPanel() {
  const { connection, available, saving, error, load, choose } = useApp("connection", (s) => s);
  const [kind, setKind] = useState<"local" | "remote">("local");
  const [url, setUrl] = useState("");
  const [apiKey, setApiKey] = useState("");
  useEffect(() => void load(), [load]);
  useEffect(() => {
    if (!connection) return;
    setKind(connection.kind);
    if (connection.kind === "remote") setUrl(connection.url);
  }, [connection]);
  if (!available || !connection)
    return (
      <fieldset>
        <legend>Runners</legend>
        <span className="field-hint">
          {available ? "Loading…" : "This page works with the runner that serves it."}
        </span>
      </fieldset>
    );
  return (
    <form
      className="settings"
      aria-label="Runners"
      onSubmit={(e) => {
        e.preventDefault();
        void choose(kind === "local" ? { kind } : { kind, url: url.trim(), apiKey: apiKey.trim() });
      }}
    >
      <fieldset>
        <legend>Runners</legend>
        <span className="field-hint">
          Now: <strong>{connectionLabel(connection)}</strong>
          {connection.kind === "remote" &&
            ` (${connection.state === "open" ? "connected" : connection.state})`}
        </span>
        <label className="check">
          <input type="radio" name="runner" checked={kind === "local"} onChange={() => setKind("local")} />
          This computer
        </label>
        <label className="check">
          <input type="radio" name="runner" checked={kind === "remote"} onChange={() => setKind("remote")} />A
          remote runner
        </label>
        {kind === "remote" && (
          <>
            <label className="field">
              <span className="field-label">Runner URL</span>
              <input
                aria-label="Runner URL"
                placeholder="https://hangar.example.com or http://host:11987"
                value={url}
                onChange={(e) => setUrl(e.target.value)}
              />
            </label>
            <label className="field">
              <span className="field-label">API key</span>
              <input
                aria-label="Runner API key"
                type="password"
                autoComplete="off"
                value={apiKey}
                onChange={(e) => setApiKey(e.target.value)}
              />
              <span className="field-hint">One of the keys the runner was started with.</span>
            </label>
          </>
        )}
        <div className="row">
          <button
            className="btn primary"
            type="submit"
            disabled={saving || (kind === "remote" && !url.trim())}
          >
            {saving ? "Connecting…" : "Use this runner"}
          </button>
        </div>
      </fieldset>
      {error && (
        <div className="error banner" role="alert">
          {error}
        </div>
      )}
    </form>
  );
}
