/** Installed models: what they are, whether loaded, and the actions on them. */
import { useEffect, useState } from "react";
import type { ModelSummary } from "../../../../electron/contract/index.ts";
import { useApp } from "../../app/StoresContext.tsx";
import { RunActions } from "./RunActions.tsx";
import { formatBytes, formatWhen } from "../../shared/format.ts";
import { PullByReference } from "../downloads/PullByReference.tsx";
import { DownloadList } from "../downloads/DownloadList.tsx";
import { ModelDetailsDialog } from "./ModelDetailsDialog.tsx";
import { OnThisComputer } from "./OnThisComputer.tsx";
import { TagPushForm } from "./TagPushForm.tsx";
import "./models.css";

type Pending = { kind: "delete" | "tag" | "push"; ref: string } | null;

function ModelRow({ model: m, onAsk }: { model: ModelSummary; onAsk: (p: Pending) => void }) {
  const s = useApp("models", (x) => x);
  const busy = s.busyRef === m.ref;
  return (
    <tr aria-label={m.ref}>
      <td>
        <div className="mono strong">{m.ref}</div>
        <div className="muted small">
          {m.architecture ?? "unknown architecture"} · {m.source}
        </div>
      </td>
      <td className="nowrap">{formatBytes(m.size)}</td>
      <td>{m.format}</td>
      <td>{m.quantization ?? "—"}</td>
      <td>{m.parameters ?? "—"}</td>
      <td>{formatWhen(m.lastUsedAt)}</td>
      <td>
        <span className={`badge ${m.loaded ? "loaded" : "idle"}`}>{m.loaded ? "Loaded" : "Not loaded"}</span>
      </td>
      <td className="actions">
        <RunActions model={m} />
        <button className="btn small" onClick={() => onAsk({ kind: "tag", ref: m.ref })}>
          Tag
        </button>
        <button className="btn small" onClick={() => onAsk({ kind: "push", ref: m.ref })}>
          Push
        </button>
        <button
          className="btn small danger"
          disabled={busy}
          onClick={() => onAsk({ kind: "delete", ref: m.ref })}
        >
          Delete
        </button>
      </td>
    </tr>
  );
}

function PendingAction({ pending, onDone }: { pending: NonNullable<Pending>; onDone: () => void }) {
  const s = useApp("models", (x) => x);
  if (pending.kind === "delete")
    return (
      <div className="confirm" role="alertdialog" aria-label="Confirm delete">
        <span>
          Delete <span className="mono">{pending.ref}</span>? Its files are removed unless another tag uses
          them.
        </span>
        <button className="btn small danger" onClick={() => void s.remove(pending.ref).then(onDone)}>
          Delete model
        </button>
        <button className="btn small ghost" onClick={onDone}>
          Cancel
        </button>
      </div>
    );
  return (
    <TagPushForm
      key={`${pending.kind} ${pending.ref}`}
      kind={pending.kind}
      source={pending.ref}
      onDone={onDone}
    />
  );
}

export function ModelsScreen() {
  const s = useApp("models", (x) => x);
  const [pending, setPending] = useState<Pending>(null);
  const { refresh, dismiss } = s;
  // A new action starts clean: the last one's error or notice would read as this one's.
  const ask = (p: Pending) => {
    dismiss();
    setPending(p);
  };
  const loadedCount = useApp("runner", (x) => x.status?.loadedModels.join("\n") ?? "");
  // Loaded models change through the tray, the API and other windows too: follow the runner's status.
  useEffect(() => void refresh(), [refresh, loadedCount]);
  // Models other apps keep change behind Hangar's back (a pull in Ollama, a file deleted): coming back
  // to the window shows the folders as they are now.
  useEffect(() => {
    const onFocus = () => void refresh();
    window.addEventListener("focus", onFocus);
    return () => window.removeEventListener("focus", onFocus);
  }, [refresh]);
  // Models other apps keep (used in place) are listed apart from Hangar's own.
  const all = s.list?.models ?? [];
  const models = all.filter((m) => m.location === undefined);
  const inPlace = all.filter((m) => m.location !== undefined);
  return (
    <section className="screen">
      <header className="screen-header">
        <h1>Models</h1>
        {s.list && (
          <div className="muted">
            {models.length} installed · {formatBytes(s.list.diskUsageBytes)} on disk ·{" "}
            <span className="mono" title="Storage location">
              {s.list.storageDir}
            </span>
          </div>
        )}
      </header>
      <PullByReference />
      <DownloadList />
      {s.error && <div className="error banner">{s.error}</div>}
      {s.notice && !s.error && <div className="ok banner">{s.notice}</div>}
      {pending && (
        // A push ends after its notice shows; by then the user may have asked for something else.
        <PendingAction pending={pending} onDone={() => setPending((p) => (p === pending ? null : p))} />
      )}
      {models.length === 0 ? (
        <div className="empty">
          {s.loading
            ? "Loading…"
            : inPlace.length > 0
              ? "No models in Hangar's store yet: use those on this computer below, or pull one from the Catalog."
              : "No models yet. Pull one from the Catalog."}
        </div>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Model</th>
              <th>Size</th>
              <th>Format</th>
              <th>Quantization</th>
              <th>Parameters</th>
              <th>Last used</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {models.map((m) => (
              <ModelRow key={m.ref} model={m} onAsk={ask} />
            ))}
          </tbody>
        </table>
      )}
      {s.list && <OnThisComputer models={inPlace} />}
      {s.details && <ModelDetailsDialog />}
    </section>
  );
}
