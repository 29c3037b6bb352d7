/** Runner settings, saved through the runner; what it rejects is shown with its message. */
import { fieldMessage } from "./field-message.ts";
import { useEffect, useState, type ReactNode } from "react";
import { RESTART_SETTINGS, type Settings, type SettingsPatch } from "../../../../electron/contract/index.ts";
import { logLevels, type LogLevelName } from "../../../../electron/contract/logs.ts";
import { useApp } from "../../app/StoresContext.tsx";
import { ListEditor } from "../../shared/ListEditor.tsx";
import { RunnersPanel } from "../runners/RunnersPanel.tsx";
import { IN_PLACE_SOURCE_LABELS } from "../../../../electron/contract/models.ts";

/** Text fields as typed; numbers are parsed on save so a bad value reaches the runner's validation. */
interface Draft {
  host: string;
  port: string;
  corsOrigins: string[];
  apiKeys: string[];
  keepAliveSeconds: string;
  memoryBudgetGb: string;
  threads: string;
  parallel: string;
  contextSize: string;
  modelsDir: string;
  closeToTray: boolean;
  discoveryDisabled: string[];
  discoveryFolders: string[];
  logLevel: LogLevelName;
}

const GB = 1e9;
/** The tools whose model folders can be switched off (a user-added folder is "folder", not listed). */
const SOURCES = Object.entries(IN_PLACE_SOURCE_LABELS).filter(([id]) => id !== "folder");

function toDraft(s: Settings): Draft {
  return {
    host: s.host,
    port: String(s.port),
    corsOrigins: s.corsOrigins,
    apiKeys: s.apiKeys,
    keepAliveSeconds: String(s.keepAliveSeconds),
    memoryBudgetGb: s.memoryBudgetBytes === null ? "" : String(+(s.memoryBudgetBytes / GB).toFixed(2)),
    threads: s.threads === null ? "" : String(s.threads),
    parallel: String(s.parallel),
    contextSize: String(s.contextSize),
    modelsDir: s.modelsDir ?? "",
    closeToTray: s.closeToTray,
    discoveryDisabled: s.discoveryDisabled,
    discoveryFolders: s.discoveryFolders,
    logLevel: s.logLevel,
  };
}

/** Empty means "automatic" (null); anything else must be a number, or the runner says why not. */
const num = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));
const numOrNull = (text: string) => (text.trim() === "" ? null : Number(text));

function toPatch(d: Draft): SettingsPatch {
  const budget = numOrNull(d.memoryBudgetGb);
  return {
    host: d.host.trim(),
    port: num(d.port),
    corsOrigins: d.corsOrigins,
    apiKeys: d.apiKeys,
    keepAliveSeconds: num(d.keepAliveSeconds),
    memoryBudgetBytes: budget === null ? null : Math.round(budget * GB),
    threads: numOrNull(d.threads),
    parallel: num(d.parallel),
    contextSize: num(d.contextSize),
    modelsDir: d.modelsDir.trim() === "" ? null : d.modelsDir.trim(),
    closeToTray: d.closeToTray,
    discoveryDisabled: d.discoveryDisabled,
    discoveryFolders: d.discoveryFolders,
    logLevel: d.logLevel,
  };
}

/** The setting a draft field edits (the memory budget is typed in GB, stored in bytes). */
const settingOf = (key: keyof Draft): keyof Settings =>
  key === "memoryBudgetGb" ? "memoryBudgetBytes" : key;

const RESTART_HINT = "Applies the next time Hangar starts.";

/**
 * One setting: its label, its control, a hint, and its rule's complaint right under it (the control
 * points at it with aria-describedby and is marked invalid).
 */
function Field({
  label,
  hint,
  error,
  restart,
  children,
}: {
  label: string;
  hint?: string;
  error?: string;
  restart?: boolean;
  children: ReactNode;
}) {
  const fullHint = [hint, restart ? RESTART_HINT : null].filter(Boolean).join(" ");
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      {children}
      {error && (
        <span className="field-error" role="alert">
          {label} {error}
        </span>
      )}
      {fullHint && <span className="field-hint">{fullHint}</span>}
    </label>
  );
}

export function SettingsScreen() {
  const s = useApp("settings", (x) => x);
  const [draft, setDraft] = useState<Draft | null>(null);
  const { load } = s;
  const connected = useApp("runner", (x) => x.status !== null);
  useEffect(() => {
    if (connected) void load();
  }, [load, connected]);
  useEffect(() => {
    if (s.settings) setDraft(toDraft(s.settings));
  }, [s.settings]);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((d) => (d ? { ...d, [key]: value } : d));
  const text = (
    key: Exclude<
      keyof Draft,
      "corsOrigins" | "apiKeys" | "closeToTray" | "discoveryDisabled" | "discoveryFolders" | "logLevel"
    >,
    label: string,
    hint?: string,
  ) => {
    const raw = s.fieldErrors[settingOf(key)];
    const error = raw === undefined ? undefined : fieldMessage(settingOf(key), raw, draft![key]);
    return (
      <Field label={label} hint={hint} error={error} restart={RESTART_SETTINGS.includes(settingOf(key))}>
        <input
          aria-label={label}
          aria-invalid={error ? true : undefined}
          value={draft![key]}
          onChange={(e) => set(key, e.target.value)}
        />
      </Field>
    );
  };
  return (
    <section className="screen">
      <header className="screen-header">
        <h1>Settings</h1>
      </header>
      <RunnersPanel />
      {!draft ? (
        <div className="empty">{s.error ?? "Loading settings…"}</div>
      ) : (
        <form
          className="settings"
          onSubmit={(e) => {
            e.preventDefault();
            void s.save(toPatch(draft));
          }}
        >
          <fieldset>
            <legend>Runner API</legend>
            {text(
              "host",
              "Host",
              "127.0.0.1 keeps the API on this machine; other addresses need an API key.",
            )}
            {text("port", "Port")}
            <Field
              label="Allowed origins (CORS)"
              hint="Web pages on these origins may call the API."
              error={s.fieldErrors.corsOrigins}
              restart
            >
              <ListEditor
                label="Allowed origins"
                items={draft.corsOrigins}
                placeholder="https://app.example.com"
                onChange={(items) => set("corsOrigins", items)}
              />
            </Field>
            <Field
              label="API keys"
              hint="When set, requests must send one as a Bearer token."
              error={s.fieldErrors.apiKeys}
              restart
            >
              <ListEditor
                label="API keys"
                items={draft.apiKeys}
                placeholder="at least 8 characters"
                secret
                onChange={(items) => set("apiKeys", items)}
              />
            </Field>
          </fieldset>
          <fieldset>
            <legend>Models</legend>
            {text(
              "keepAliveSeconds",
              "Keep-alive (seconds)",
              "How long an idle model stays loaded; -1 keeps it.",
            )}
            {text(
              "memoryBudgetGb",
              "Memory budget (GB)",
              "Empty: automatic, a share of this machine's memory.",
            )}
            {text("threads", "Threads", "Empty: automatic (physical cores).")}
            {text("parallel", "Parallel sequences")}
            {text("contextSize", "Default context size (tokens)")}
            {text("modelsDir", "Models directory", "Empty: the default under the Hangar home folder.")}
          </fieldset>
          <fieldset>
            <legend>Models on this computer</legend>
            <span className="field-hint">
              Models other apps keep are used where they are, read-only. Hangar never changes their folders.
            </span>
            {SOURCES.map(([id, label]) => (
              <label className="check" key={id}>
                <input
                  type="checkbox"
                  aria-label={`Use models from ${label}`}
                  checked={!draft.discoveryDisabled.includes(id)}
                  onChange={(e) =>
                    set(
                      "discoveryDisabled",
                      e.target.checked
                        ? draft.discoveryDisabled.filter((x) => x !== id)
                        : [...draft.discoveryDisabled, id],
                    )
                  }
                />
                {label}
              </label>
            ))}
            <Field
              label="More folders"
              hint="Another app's folder (its layout is recognised) or a folder of GGUF files; absolute paths."
              error={s.fieldErrors.discoveryFolders}
            >
              <ListEditor
                label="Model folders"
                items={draft.discoveryFolders}
                placeholder="/data/models"
                onChange={(items) => set("discoveryFolders", items)}
              />
            </Field>
          </fieldset>
          <fieldset>
            <legend>App</legend>
            <label className="check">
              <input
                type="checkbox"
                checked={draft.closeToTray}
                onChange={(e) => set("closeToTray", e.target.checked)}
              />
              Closing the window keeps Hangar running in the tray
            </label>
            <Field
              label="Log level"
              hint="The lowest level kept in the logs; debug adds llama.cpp's detailed lines."
              restart
            >
              <select
                aria-label="Log level"
                value={draft.logLevel}
                onChange={(e) => set("logLevel", e.target.value as LogLevelName)}
              >
                {logLevels.map((level) => (
                  <option key={level} value={level}>
                    {level}
                  </option>
                ))}
              </select>
            </Field>
          </fieldset>
          {s.error && (
            <div className="error banner" role="alert">
              {s.error}
            </div>
          )}
          {Object.keys(s.fieldErrors).length > 0 && (
            <div className="error banner">Not saved: correct the marked settings.</div>
          )}
          {s.savedAt && !s.error && !s.saving && Object.keys(s.fieldErrors).length === 0 && (
            <div className="ok banner" role="status">
              Settings saved.
              {s.restartPending.length > 0 &&
                ` ${s.restartPending.join(", ")} ${s.restartPending.length === 1 ? "applies" : "apply"} the next time Hangar starts.`}
              {s.restartPending.length > 0 && !(s.restartedAt && s.restartedAt >= s.savedAt) && (
                <button
                  className="btn small"
                  type="button"
                  disabled={s.restarting}
                  onClick={() => void s.restartRunner()}
                >
                  {s.restarting ? "Restarting…" : "Restart the runner now (unloads models)"}
                </button>
              )}
            </div>
          )}
          {s.restartedAt && !s.restarting && (
            <div className="ok banner" role="status">
              The runner restarted with the new settings.
              {s.restartPending.length > 0 &&
                ` ${s.restartPending.join(" and ")} move when \`hangar serve\` starts again: its listener serves this page.`}
            </div>
          )}
          <div className="row settings-actions">
            <button className="btn primary" type="submit" disabled={s.saving}>
              {s.saving ? "Saving…" : "Save settings"}
            </button>
            <button
              className="btn ghost"
              type="button"
              onClick={() => s.settings && setDraft(toDraft(s.settings))}
            >
              Revert
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
