/**
 * A thinking model's reasoning, folded above its reply: "Thinking…" while the model thinks, then
 * "Thinking" to open and read it.
 */
export function Thinking({ text, active = false }: { text: string; active?: boolean }) {
  return (
    <details className="msg-thinking">
      <summary>{active ? "Thinking…" : "Thinking"}</summary>
      <div className="msg-thinking-text">{text}</div>
    </details>
  );
}
