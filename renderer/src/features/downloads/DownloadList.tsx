/** Downloads with a progress bar (bytes, speed, ETA) and pause, resume, cancel. */
import type { Download } from "../../../../electron/contract/index.ts";
import { formatBytes, formatEta, formatSpeed, percent } from "../../shared/format.ts";
import { useApp } from "../../app/StoresContext.tsx";

export function DownloadRow({ download: d }: { download: Download }) {
  const { pause, resume, cancel } = useApp("downloads", (s) => s);
  const pct = percent(d.completedBytes, d.totalBytes);
  const active = d.state === "running" || d.state === "paused";
  return (
    <li className={`download ${d.state}`} aria-label={`Download ${d.ref}`}>
      <div className="download-head">
        <span className="mono">{d.ref}</span>
        <span className={`badge ${d.state}`}>{d.state === "running" ? d.phase : d.state}</span>
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-label={`Progress of ${d.ref}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
      >
        <div className="progress-fill" style={{ width: `${d.state === "done" ? 100 : pct}%` }} />
      </div>
      <div className="download-meta">
        <span>
          {formatBytes(d.completedBytes)} of {formatBytes(d.totalBytes || null)}
        </span>
        {d.state === "running" && (
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
        {(d.state === "paused" || d.state === "error") && (
          <button className="btn small" onClick={() => void resume(d.id)}>
            Resume
          </button>
        )}
        {(active || d.state === "error") && (
          <button className="btn small danger" onClick={() => void cancel(d.id)}>
            Cancel
          </button>
        )}
      </div>
    </li>
  );
}

export function DownloadList({ filter }: { filter?: (d: Download) => boolean }) {
  const downloads = useApp("downloads", (s) => s.downloads);
  const error = useApp("downloads", (s) => s.error);
  const shown = filter ? downloads.filter(filter) : downloads;
  if (shown.length === 0 && !error) return null;
  return (
    <section className="panel" aria-label="Downloads">
      <h2>Downloads</h2>
      {error && <div className="error">{error}</div>}
      <ul className="downloads">
        {[...shown].reverse().map((d) => (
          <DownloadRow key={d.id} download={d} />
        ))}
      </ul>
    </section>
  );
}
