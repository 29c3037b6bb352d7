/** Pull any model by reference: registry/name:tag, hf.co/user/repo:QUANT, an Ollama name. */
import { useState } from "react";
import { useApp } from "../../app/StoresContext.tsx";

export function PullByReference() {
  const [ref, setRef] = useState("");
  const start = useApp("downloads", (s) => s.start);
  return (
    <form
      className="pull-form"
      onSubmit={(e) => {
        e.preventDefault();
        const value = ref.trim();
        if (value) void start(value).then((d) => d && setRef(""));
      }}
    >
      <input
        aria-label="Model reference"
        placeholder="Pull by reference: ai/smollm2:135M-Q4_K_M, hf.co/user/repo:Q4_K_M, 127.0.0.1:5000/name:tag"
        value={ref}
        onChange={(e) => setRef(e.target.value)}
      />
      <button className="btn primary" type="submit" disabled={!ref.trim()}>
        Pull
      </button>
    </form>
  );
}
