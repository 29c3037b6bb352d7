/**
 * Load or Unload and Chat as buttons, Inspect and the row's other actions in its "More" menu: the actions
 * every model row has, whichever folder the model is in.
 */
import type { ModelSummary } from "../../../../electron/contract/index.ts";
import { useApp } from "../../app/StoresContext.tsx";
import { RowMenu, type RowMenuItem } from "./RowMenu.tsx";

export function RunActions({ model: m, more = [] }: { model: ModelSummary; more?: RowMenuItem[] }) {
  const s = useApp("models", (x) => x);
  const openChat = useApp("navigation", (x) => x.openChat);
  const busy = s.busyRef === m.ref;
  return (
    <div className="run-actions">
      {m.loaded ? (
        <button className="btn small" disabled={busy} onClick={() => void s.unload(m.ref)}>
          Unload
        </button>
      ) : (
        <button className="btn small" disabled={busy} onClick={() => void s.load(m.ref)}>
          {busy ? "Loading…" : "Load"}
        </button>
      )}
      <button className="btn small" onClick={() => openChat(m.ref)}>
        Chat
      </button>
      <RowMenu
        label={`More actions for ${m.ref}`}
        items={[{ label: "Inspect", onSelect: () => void s.inspect(m.ref) }, ...more]}
      />
    </div>
  );
}
