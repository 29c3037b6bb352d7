/** Installed models: what they are, whether loaded, and the actions on them. */
import { useEffect, useState } from "react";
import { useApp } from "../../app/StoresContext.tsx";
import { formatBytes } from "../../shared/format.ts";
import { ModelRow, type Pending } from "./ModelRow.tsx";
import { PullByReference } from "../downloads/PullByReference.tsx";
import { DownloadList } from "../downloads/DownloadList.tsx";
import { ModelDetailsDialog } from "./ModelDetailsDialog.tsx";
import { Modal } from "../../shared/Modal.tsx";
import { OnThisComputer } from "./OnThisComputer.tsx";
import { TagPushForm } from "./TagPushForm.tsx";
import "./models.css";

function PendingAction({ pending, onDone }: { pending: NonNullable<Pending>; onDone: () => void }) {
  const s = useApp("models", (x) => x);
  if (pending.kind === "delete")
    return (
      <Modal className="confirm-dialog" role="alertdialog" label="Confirm delete" onClose={onDone}>
        <p>
          Delete <span className="mono">{pending.ref}</span>? Its files are removed unless another tag uses
          them.
        </p>
        <div className="dialog-actions">
          <button className="btn small ghost" autoFocus onClick={onDone}>
            Cancel
          </button>
          <button className="btn small danger" onClick={() => void s.remove(pending.ref).then(onDone)}>
            Delete model
          </button>
        </div>
      </Modal>
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
  const go = useApp("navigation", (x) => x.go);
  const [pending, setPending] = useState<Pending>(null);
  const { refresh, dismiss } = s;
  // A new action starts clean: the last one's error or notice would read as this one's.
  const ask = (p: Pending) => {
    dismiss();
    setPending(p);
  };
  // Which models are loaded, and whether any is answering: when a reply ends, its unload time is set.
  const loadedCount = useApp(
    "runner",
    (x) => `${x.status?.loadedModels.join("\n") ?? ""}|${(x.status?.busy ?? 0) > 0}`,
  );
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
          {s.loading && !s.list ? (
            "Loading…"
          ) : (
            <>
              <p>
                {inPlace.length > 0
                  ? "No models in Hangar's store yet: use those on this computer below, or pull one from the Catalog."
                  : "No models yet. Pull one from the Catalog, or by reference above."}
              </p>
              <button className="btn primary" onClick={() => go("Catalog")}>
                Browse the Catalog
              </button>
            </>
          )}
        </div>
      ) : (
        <table className="table models-table">
          <thead>
            <tr>
              <th>Model</th>
              <th>Size</th>
              <th>Parameters · quant</th>
              <th>Last used</th>
              <th>State</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
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
