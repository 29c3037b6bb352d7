/**
 * Models other apps keep on this computer (Ollama, LM Studio, the Hugging Face cache…), run where they
 * are, read-only. "Add to Hangar" keeps a verified copy (a reflink where the disk can) in Hangar's store.
 */
import type { ModelSummary } from "../../../../electron/contract/index.ts";
import { IN_PLACE_SOURCE_LABELS } from "../../../../electron/contract/models.ts";
import { useApp } from "../../app/StoresContext.tsx";
import { RunActions } from "./RunActions.tsx";
import { formatBytes } from "../../shared/format.ts";

const FIT_TEXT = { fits: "Fits", tight: "Tight", too_large: "Too large" } as const;

function Row({ model: m }: { model: ModelSummary }) {
  const s = useApp("models", (x) => x);
  const busy = s.busyRef === m.ref;
  return (
    <tr aria-label={m.ref}>
      <td>
        <div className="mono strong">{m.ref}</div>
        <div className="muted small mono" title="Read in place, never written to">
          {m.location}
        </div>
      </td>
      <td>
        <span className="badge running">{IN_PLACE_SOURCE_LABELS[m.source] ?? m.source}</span>
      </td>
      <td className="nowrap">{formatBytes(m.size)}</td>
      <td>
        {m.architecture ?? "—"} {m.parameters ?? ""}
      </td>
      <td>{m.quantization ?? "—"}</td>
      <td>
        {m.memory ? (
          <span
            className={`badge fit-${m.memory.fit}`}
            title={`About ${formatBytes(m.memory.estimateBytes)} at the default context`}
          >
            {FIT_TEXT[m.memory.fit]} · {formatBytes(m.memory.estimateBytes)}
          </span>
        ) : (
          "—"
        )}
      </td>
      <td className="row-actions">
        <RunActions model={m} />
        <button className="btn small primary" disabled={busy} onClick={() => void s.adopt(m.ref)}>
          {busy ? "Working…" : "Add to Hangar"}
        </button>
      </td>
    </tr>
  );
}

export function OnThisComputer({ models }: { models: ModelSummary[] }) {
  return (
    <section aria-label="On this computer">
      <h2>On this computer</h2>
      <p className="muted small">
        Models other apps keep. Hangar runs them where they are, read-only: nothing downloaded, nothing
        copied.
      </p>
      {models.length === 0 ? (
        <div className="empty">
          No models from Ollama, LM Studio, the Hugging Face cache or others were found.
        </div>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Model</th>
              <th>Source</th>
              <th>Size</th>
              <th>Architecture</th>
              <th>Quantization</th>
              <th>Memory</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {models.map((m) => (
              <Row key={m.ref} model={m} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
