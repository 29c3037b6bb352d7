/**
 * The Tag and Push forms of a model row. The input takes focus; a refusal keeps the form open with the
 * text and the runner's reason at the field. A tag whose name another model already has asks before
 * replacing that model (the runner refuses such a tag unless the app says to overwrite).
 */
import { useId, useRef, useState } from "react";
import { useApp } from "../../app/StoresContext.tsx";
import { formatBytes } from "../../shared/format.ts";

export function TagPushForm({
  kind,
  source,
  onDone,
}: {
  kind: "tag" | "push";
  source: string;
  onDone: () => void;
}) {
  const s = useApp("models", (x) => x);
  const [target, setTarget] = useState("");
  const [error, setError] = useState<string | null>(null);
  // The name the runner refused because another model has it: replacing needs a second, explicit yes.
  const [conflict, setConflict] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const errorId = useId();
  const verb = kind === "tag" ? "Tag" : "Push";
  const busy = s.busyRef === source;

  const submit = async (overwrite = false) => {
    const t = target.trim();
    if (!t) {
      setError(
        kind === "tag" ? "Type the new name, e.g. team/model:v2" : "Type where to push, e.g. host/name:tag",
      );
      return;
    }
    setError(null);
    setConflict(null);
    const outcome = kind === "tag" ? await s.tag(source, t, overwrite) : await s.push(source, t);
    if (outcome.ok) return onDone();
    if (kind === "tag" && outcome.code === "conflict") setConflict(t);
    else setError(kind === "push" ? `Could not push ${source} to ${t}: ${outcome.message}` : outcome.message);
    input.current?.focus();
  };
  const replaced = conflict
    ? s.list?.models.find((m) => m.ref === conflict || m.ref === `${conflict}:latest`)
    : null;

  return (
    <form
      className="confirm model-action-form"
      aria-label={`${verb} ${source}`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape") onDone();
      }}
    >
      <label htmlFor={`${errorId}-input`}>
        {verb} <span className="mono">{source}</span> as
      </label>
      <input
        id={`${errorId}-input`}
        ref={input}
        // The form opens because the user asked for it: typing is the next thing they do.
        autoFocus
        aria-label={`${verb} target`}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || conflict ? errorId : undefined}
        placeholder={kind === "tag" ? "name:tag" : "registry.example.com/name:tag"}
        value={target}
        onChange={(e) => {
          setTarget(e.target.value);
          setError(null);
          setConflict(null);
        }}
      />
      <button className="btn small primary" type="submit" disabled={busy}>
        {busy ? (kind === "tag" ? "Tagging…" : "Pushing…") : verb}
      </button>
      <button className="btn small ghost" type="button" onClick={onDone}>
        Cancel
      </button>
      {error && (
        <div id={errorId} className="form-error" role="alert">
          {error}
        </div>
      )}
      {conflict && (
        <div id={errorId} className="form-conflict" role="alert">
          <span>
            <span className="mono">{conflict}</span> already names another model
            {replaced ? ` (${formatBytes(replaced.size)})` : ""}. Replace it? That model then loses this name,
            and is gone if it has no other.
          </span>
          <button className="btn small danger" type="button" onClick={() => void submit(true)}>
            Replace
          </button>
          <button
            className="btn small ghost"
            type="button"
            onClick={() => {
              setConflict(null);
              input.current?.select();
            }}
          >
            Keep it
          </button>
        </div>
      )}
    </form>
  );
}
