/**
 * The downloads panel: a progress bar (bytes, speed, ETA) with pause, resume and cancel while a pull
 * runs, and Clear for the finished ones. The queue belongs to the runner, so a clear goes through it and
 * every window sees it.
 */
import type { Download } from "../../../../electron/contract/index.ts";
import { formatBytes, formatEta, formatSpeed, percent } from "../../shared/format.ts";
import { useApp } from "../../app/StoresContext.tsx";
import "./downloads.css";

const isFinished = (d: Download) => d.state === "done" || d.state === "cancelled" || d.state === "error";

/** What the state badge says: the phase while running, else the state in words. */
function stateLabel(d: Download): string {
  if (d.state === "running") return d.phase;
  if (d.state === "error") return "failed";
  return d.state;
}

/** The bytes line, only once there are bytes to speak of (no "0 B of —" while resolving). */
function bytesLabel(d: Download): string | null {
  if (d.state === "done") return d.totalBytes > 0 ? formatBytes(d.totalBytes) : null;
  if (d.totalBytes > 0) return `${formatBytes(d.completedBytes)} of ${formatBytes(d.totalBytes)}`;
  if (d.completedBytes > 0) return formatBytes(d.completedBytes);
  return d.state === "running" ? "Finding the model…" : null;
}

export function DownloadRow({ download: d }: { download: Download }) {
  const { pause, resume, cancel, clear } = useApp("downloads", (s) => s);
  const pct = percent(d.completedBytes, d.totalBytes);
  const active = d.state === "running" || d.state === "paused";
  const bytes = bytesLabel(d);
  return (
    <li className={`download ${d.state}`} aria-label={`Download ${d.ref}`}>
      <div className="download-head">
        <span className="mono">{d.ref}</span>
        <span className={`badge ${d.state}`}>{stateLabel(d)}</span>
      </div>
      {!isFinished(d) || d.state === "done" ? (
        <div
          className="progress"
          role="progressbar"
          aria-label={`Progress of ${d.ref}`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={d.state === "done" ? 100 : pct}
        >
          <div className="progress-fill" style={{ width: `${d.state === "done" ? 100 : pct}%` }} />
        </div>
      ) : null}
      <div className="download-meta">
        {bytes && <span>{bytes}</span>}
        {d.state === "running" && d.totalBytes > 0 && (
          <>
            <span>{formatSpeed(d.bytesPerSecond)}</span>
            <span>{formatEta(d.etaSeconds)}</span>
          </>
        )}
        {d.error && <span className="error">{d.error}</span>}
        <span className="spacer" />
        {d.state === "running" && (
          <button className="btn small" onClick={() => void pause(d.id)}>
            Pause
          </button>
        )}
        {d.state === "paused" && (
          <button className="btn small" onClick={() => void resume(d.id)}>
            Resume
          </button>
        )}
        {/* Trying again only where it can help: not for a model that does not exist. */}
        {d.state === "error" && d.retryable !== false && (
          <button className="btn small" onClick={() => void resume(d.id)}>
            Retry
          </button>
        )}
        {active && (
          <button className="btn small danger" onClick={() => void cancel(d.id)}>
            Cancel
          </button>
        )}
        {isFinished(d) && (
          <button
            className="btn small ghost"
            aria-label={`Clear ${d.ref}`}
            title="Remove from the list"
            onClick={() => void clear([d.id])}
          >
            Clear
          </button>
        )}
      </div>
    </li>
  );
}

export function DownloadList({ filter }: { filter?: (d: Download) => boolean }) {
  const downloads = useApp("downloads", (s) => s.downloads);
  const error = useApp("downloads", (s) => s.error);
  const clear = useApp("downloads", (s) => s.clear);
  const shown = filter ? downloads.filter(filter) : downloads;
  if (shown.length === 0 && !error) return null;
  const finished = shown.filter(isFinished);
  return (
    <section className="panel downloads-panel" aria-label="Downloads">
      <div className="downloads-header">
        <h2>Downloads</h2>
        {finished.length > 0 && (
          <button className="btn small" onClick={() => void clear(finished.map((d) => d.id))}>
            Clear finished ({finished.length})
          </button>
        )}
      </div>
      {error && <div className="error">{error}</div>}
      <ul className="downloads">
        {[...shown].reverse().map((d) => (
          <DownloadRow key={d.id} download={d} />
        ))}
      </ul>
    </section>
  );
}
