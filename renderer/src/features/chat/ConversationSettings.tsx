/** Model picker, system prompt and generation parameters of the open conversation. */
import { useEffect, useRef, useState } from "react";
import { useChat } from "./use-chat.ts";
import { modelInUse } from "./chat-store.ts";
import type { ChatParameters } from "../../../../electron/contract/chat.ts";

const FIELDS: {
  key: keyof ChatParameters;
  label: string;
  step: number;
  min: number;
  max: number;
  hint: string;
}[] = [
  { key: "temperature", label: "Temperature", step: 0.05, min: 0, max: 2, hint: "model default" },
  { key: "topP", label: "Top P", step: 0.05, min: 0, max: 1, hint: "model default" },
  { key: "maxTokens", label: "Max tokens", step: 1, min: 1, max: 131072, hint: "no limit" },
  { key: "contextSize", label: "Context size", step: 256, min: 256, max: 1048576, hint: "runner default" },
  { key: "seed", label: "Seed", step: 1, min: 0, max: 4294967295, hint: "random" },
];

export function ModelPicker() {
  const model = useChat(modelInUse);
  const models = useChat((s) => s.models);
  const configure = useChat((s) => s.configure);
  const installed = models.some((m) => m.ref === model);
  return (
    <select
      className="chat-model"
      aria-label="Model"
      value={model ?? ""}
      onChange={(e) => void configure({ model: e.target.value || null })}
    >
      <option value="">{models.length === 0 ? "No models installed" : "Pick a model…"}</option>
      {model && !installed && <option value={model}>{model} (not installed)</option>}
      {models.map((m) => (
        <option key={m.ref} value={m.ref}>
          {m.ref}
          {m.loaded ? " ● loaded" : ""}
        </option>
      ))}
    </select>
  );
}

export function ConversationSettings({ onClose }: { onClose: () => void }) {
  const current = useChat((s) => s.current);
  const configure = useChat((s) => s.configure);
  // The fields hold the stored settings from the first render (filled after it, they raced the first
  // keystrokes: "24" then "1500" typed made "241500"), and start over only when the conversation or its
  // stored settings change, not each time the store hands out a new copy of the same ones.
  const stored = JSON.stringify([current?.id, current?.systemPrompt ?? "", current?.parameters ?? {}]);
  const fieldsOf = (key: string) => {
    const [, prompt, p] = JSON.parse(key) as [string, string, ChatParameters];
    return { prompt, values: Object.fromEntries(FIELDS.map((f) => [f.key, p[f.key]?.toString() ?? ""])) };
  };
  const [systemPrompt, setSystemPrompt] = useState(() => fieldsOf(stored).prompt);
  const [values, setValues] = useState<Record<string, string>>(() => fieldsOf(stored).values);
  const [problem, setProblem] = useState<string | null>(null);
  const shown = useRef(stored);
  useEffect(() => {
    if (shown.current === stored) return;
    shown.current = stored;
    const fields = fieldsOf(stored);
    setSystemPrompt(fields.prompt);
    setValues(fields.values);
  }, [stored]);
  if (!current) return null;

  const save = () => {
    const parameters: ChatParameters = {};
    for (const f of FIELDS) {
      const raw = values[f.key]?.trim() ?? "";
      if (!raw) continue;
      const n = Number(raw);
      const integer = f.step >= 1;
      if (!Number.isFinite(n) || n < f.min || n > f.max || (integer && !Number.isInteger(n)))
        return setProblem(
          `${f.label} must be ${integer ? "a whole number" : "a number"} from ${f.min} to ${f.max}.`,
        );
      parameters[f.key] = n;
    }
    setProblem(null);
    void configure({ systemPrompt, parameters }).then(onClose);
  };

  return (
    <section className="chat-settings" aria-label="Conversation settings">
      <label className="chat-settings-prompt">
        System prompt
        <textarea
          rows={3}
          value={systemPrompt}
          placeholder="You are a helpful assistant."
          onChange={(e) => setSystemPrompt(e.target.value)}
        />
      </label>
      <div className="chat-settings-grid">
        {FIELDS.map((f) => (
          <label key={f.key}>
            {f.label}
            <input
              type="number"
              step={f.step}
              min={f.min}
              max={f.max}
              placeholder={f.hint}
              value={values[f.key] ?? ""}
              onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
            />
          </label>
        ))}
      </div>
      {problem && (
        <p className="chat-settings-problem" role="alert">
          {problem}
        </p>
      )}
      <div className="chat-settings-actions">
        <button className="primary" onClick={save}>
          Save
        </button>
        <button onClick={onClose}>Cancel</button>
      </div>
    </section>
  );
}
