/**
 * Pull any model by reference: registry/name:tag, hf.co/user/repo:QUANT, an Ollama name. Before pulling it
 * says where the reference resolves to (a short name goes to Docker Hub); a reference the runner refuses
 * gets the runner's reason at the input, and nothing is queued.
 */
import { useEffect, useId, useState } from "react";
import type { PullSource } from "../../../../electron/contract/index.ts";
import { useApp } from "../../app/StoresContext.tsx";

export function PullByReference() {
  const [ref, setRef] = useState("");
  const [refused, setRefused] = useState<string | null>(null);
  const [source, setSource] = useState<PullSource | null>(null);
  const { start, resolve } = useApp("downloads", (s) => s);
  const hintId = useId();
  const value = ref.trim();

  // Where it would pull from, asked of the runner (its parser decides) once typing pauses.
  useEffect(() => {
    setSource(null);
    if (!value) return;
    let current = true;
    const timer = setTimeout(() => {
      void resolve(value).then((r) => {
        if (current) setSource("refused" in r ? null : r);
      });
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [value, resolve]);

  return (
    <form
      className="pull-form"
      aria-label="Pull by reference"
      onSubmit={(e) => {
        e.preventDefault();
        if (!value) return;
        void start(value).then((r) => {
          if ("refused" in r) setRefused(r.refused);
          else setRef("");
        });
      }}
    >
      <div className="pull-input">
        <input
          aria-label="Model reference"
          aria-invalid={refused ? true : undefined}
          aria-describedby={refused || source ? hintId : undefined}
          placeholder="Pull by reference: ai/smollm2:135M-Q4_K_M, hf.co/user/repo:Q4_K_M, 127.0.0.1:5000/name:tag"
          value={ref}
          onChange={(e) => {
            setRef(e.target.value);
            setRefused(null);
          }}
        />
        {refused ? (
          <div id={hintId} className="pull-refused" role="alert">
            {refused}
          </div>
        ) : (
          source && (
            <div id={hintId} className="pull-source muted small">
              From {source.registry}: <span className="mono">{source.address}</span>
            </div>
          )
        )}
      </div>
      <button className="btn primary" type="submit" disabled={!value}>
        Pull
      </button>
    </form>
  );
}
