/** Load or Unload, Chat and Inspect: the actions every model row has, whichever folder the model is in. */
import type { ModelSummary } from "../../../../electron/contract/index.ts";
import { useApp } from "../../app/StoresContext.tsx";

export function RunActions({ model: m }: { model: ModelSummary }) {
  const s = useApp("models", (x) => x);
  const openChat = useApp("navigation", (x) => x.openChat);
  const busy = s.busyRef === m.ref;
  return (
    <>
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
      <button className="btn small" onClick={() => void s.inspect(m.ref)}>
        Inspect
      </button>
    </>
  );
}
