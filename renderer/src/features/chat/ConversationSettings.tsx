/** Model picker, system prompt and generation parameters of the open conversation. */
import { useEffect, useState } from "react";
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
  const [systemPrompt, setSystemPrompt] = useState(current?.systemPrompt ?? "");
  const [values, setValues] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);

  // The fields start over when the conversation or its stored settings change, not each time the store
  // hands out a new copy of the same ones (a reply ending, the list read again): that wiped what was being
  // typed, mid-keystroke.
  const stored = JSON.stringify([current?.id, current?.systemPrompt, current?.parameters ?? {}]);
  useEffect(() => {
    const [, prompt, p] = JSON.parse(stored) as [string, string | undefined, ChatParameters];
    setSystemPrompt(prompt ?? "");
    setValues(Object.fromEntries(FIELDS.map((f) => [f.key, p[f.key]?.toString() ?? ""])));
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
