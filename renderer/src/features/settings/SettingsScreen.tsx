/**
 * Runner settings, saved through the runner; what it rejects is shown at its field with its message.
 * The fields come from one table (settings-fields.ts).
 */
import { useEffect, useState } from "react";
import type { Settings } from "../../../../electron/contract/index.ts";
import { useApp } from "../../app/StoresContext.tsx";
import { RunnersPanel } from "../runners/RunnersPanel.tsx";
import { SettingFieldView } from "./SettingField.tsx";
import { FIELDS, SECTIONS, toDraft, toPatch, type Draft, type DraftValue } from "./settings-fields.ts";

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
  const set = (key: keyof Settings, value: DraftValue) => setDraft((d) => (d ? { ...d, [key]: value } : d));
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
          {SECTIONS.map((section) => (
            <fieldset key={section.legend}>
              <legend>{section.legend}</legend>
              {"intro" in section && <span className="field-hint">{section.intro}</span>}
              {FIELDS.filter((f) => f.section === section.legend).map((f) => (
                <SettingFieldView
                  key={f.setting}
                  field={f}
                  value={draft[f.setting]!}
                  error={s.fieldErrors[f.setting]}
                  onChange={(value) => set(f.setting, value)}
                />
              ))}
            </fieldset>
          ))}
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
