/** Metadata of one installed model: a summary first, then the GGUF header, files, template and license. */
import { useApp } from "../../app/StoresContext.tsx";
import { Modal } from "../../shared/Modal.tsx";
import { modelFacts } from "./model-facts.ts";

export function ModelDetailsDialog() {
  const details = useApp("models", (s) => s.details)!;
  const close = useApp("models", (s) => s.closeDetails);
  const entries = Object.entries(details.metadata).sort(([a], [b]) => a.localeCompare(b));
  return (
    <Modal className="dialog" label={`Details of ${details.model.ref}`} onClose={close}>
      <header className="dialog-header">
        <h2 className="mono">{details.model.ref}</h2>
        <button className="btn small ghost" onClick={close}>
          Close
        </button>
      </header>
      <div className="muted small mono">{details.model.digest}</div>
      <dl className="model-facts" aria-label="Summary">
        {modelFacts(details).map((f) => (
          <div key={f.label}>
            <dt>{f.label}</dt>
            <dd>{f.value}</dd>
          </div>
        ))}
      </dl>
      <h3>Metadata</h3>
      <table className="table compact">
        <tbody>
          {entries.map(([k, v]) => (
            <tr key={k}>
              <th scope="row" className="mono">
                {k}
              </th>
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
          <pre className="code" tabIndex={0} aria-label="Chat template">
            {details.chatTemplate}
          </pre>
        </>
      )}
      {details.license && (
        <>
          <h3>License</h3>
          <pre className="code" tabIndex={0} aria-label="License">
            {details.license}
          </pre>
        </>
      )}
    </Modal>
  );
}
