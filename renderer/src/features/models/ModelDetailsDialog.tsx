/** Metadata of one installed model (GGUF header, packaged files, template, license). */
import { useApp } from "../../app/StoresContext.tsx";

export function ModelDetailsDialog() {
  const details = useApp("models", (s) => s.details)!;
  const close = useApp("models", (s) => s.closeDetails);
  const entries = Object.entries(details.metadata).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="overlay" onClick={close}>
      <div
        className="dialog"
        role="dialog"
        aria-label={`Details of ${details.model.ref}`}
        onClick={(e) => e.stopPropagation()}
      >
        <header className="dialog-header">
          <h2 className="mono">{details.model.ref}</h2>
          <button className="btn small ghost" onClick={close}>
            Close
          </button>
        </header>
        <div className="muted small mono">{details.model.digest}</div>
        <h3>Metadata</h3>
        <table className="table compact">
          <tbody>
            {entries.map(([k, v]) => (
              <tr key={k}>
                <td className="mono">{k}</td>
                <td className="mono">{String(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>Files</h3>
        <ul className="mono small">
          {details.files.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
        {details.chatTemplate && (
          <>
            <h3>Chat template</h3>
            <pre className="code">{details.chatTemplate}</pre>
          </>
        )}
        {details.license && (
          <>
            <h3>License</h3>
            <pre className="code">{details.license}</pre>
          </>
        )}
      </div>
    </div>
  );
}
