/**
 * One installed model in the Models table: what it is, when it was last used, whether it is loaded (with
 * its memory and when it unloads), and its actions: Load or Unload and Chat as buttons, the rest under
 * "More" so the row stays one line high at 1024 px.
 */
import type { LoadedRuntime, ModelSummary } from "../../../../electron/contract/index.ts";
import { useApp } from "../../app/StoresContext.tsx";
import { formatBytes, formatWhen } from "../../shared/format.ts";
import { RunActions } from "./RunActions.tsx";

export type Pending = { kind: "delete" | "tag" | "push"; ref: string } | null;

/** "unloads at 10:42"; "answering" while busy (the clock starts when it is idle); "stays loaded". */
export function unloadLabel(runtime: LoadedRuntime, now = Date.now()): string {
  if (runtime.activeSequences > 0) return "answering";
  if (runtime.expiresAt === null) return "stays loaded";
  if (runtime.expiresAt <= now) return "unloading";
  const at = new Date(runtime.expiresAt).toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
  return `unloads at ${at}`;
}

function LoadState({ model: m }: { model: ModelSummary }) {
  if (!m.loaded) return <span className="badge idle">Not loaded</span>;
  return (
    <>
      <span className="badge loaded">Loaded</span>
      {m.runtime && (
        <div
          className="muted small"
          title={`Context ${m.runtime.contextSize.toLocaleString()} tokens on ${m.runtime.backend}`}
        >
          {formatBytes(m.runtime.memoryBytes)} in memory, {unloadLabel(m.runtime)}
        </div>
      )}
    </>
  );
}

export function ModelRow({ model: m, onAsk }: { model: ModelSummary; onAsk: (p: Pending) => void }) {
  const busy = useApp("models", (x) => x.busyRef === m.ref);
  const weights = [m.parameters, m.quantization].filter(Boolean).join(" · ") || "—";
  return (
    <tr aria-label={m.ref}>
      <td className="model-cell">
        <div className="mono strong">{m.ref}</div>
        <div className="muted small">
          {m.architecture ?? "unknown architecture"} · {m.format} · {m.source}
        </div>
      </td>
      <td className="nowrap">{formatBytes(m.size)}</td>
      <td className="nowrap">{weights}</td>
      <td className="nowrap">{formatWhen(m.lastUsedAt)}</td>
      <td className="load-state">
        <LoadState model={m} />
      </td>
      <td className="row-actions">
        <RunActions
          model={m}
          more={[
            { label: "Tag", onSelect: () => onAsk({ kind: "tag", ref: m.ref }) },
            { label: "Push", onSelect: () => onAsk({ kind: "push", ref: m.ref }) },
            {
              label: "Delete",
              danger: true,
              disabled: busy,
              onSelect: () => onAsk({ kind: "delete", ref: m.ref }),
            },
          ]}
        />
      </td>
    </tr>
  );
}
