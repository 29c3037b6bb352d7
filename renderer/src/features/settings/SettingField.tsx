/** One row of the settings table (settings-fields.ts) as a control, whatever its kind. */
import { useId } from "react";
import { ListEditor } from "../../shared/ListEditor.tsx";
import { fieldMessage } from "./field-message.ts";
import { hintOf, type DraftValue, type SettingField } from "./settings-fields.ts";

/**
 * `error`: the rules' complaint about this setting, as the store has it ("must be …"); a text field
 * words it after what was typed. Labelled fields show it right under the control, then the hint; the
 * control is described by both and marked invalid while refused.
 */
export function SettingFieldView({
  field,
  value,
  error,
  onChange,
}: {
  field: SettingField;
  value: DraftValue;
  error: string | undefined;
  onChange(value: DraftValue): void;
}) {
  const id = useId();
  if (field.kind === "check")
    return (
      <label className="check">
        <input type="checkbox" checked={value as boolean} onChange={(e) => onChange(e.target.checked)} />
        {field.label}
      </label>
    );
  if (field.kind === "switches") {
    const off = value as string[];
    return field.options.map(([option, label]) => (
      <label className="check" key={option}>
        <input
          type="checkbox"
          aria-label={field.optionLabel(label)}
          checked={!off.includes(option)}
          onChange={(e) => onChange(e.target.checked ? off.filter((x) => x !== option) : [...off, option])}
        />
        {label}
      </label>
    ));
  }
  const message =
    error === undefined || field.kind !== "text"
      ? error
      : fieldMessage(field.setting, error, value as string);
  const hint = hintOf(field);
  const described = [message && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(" ");
  const control = {
    "aria-label": field.label,
    "aria-invalid": message ? true : undefined,
    "aria-describedby": described || undefined,
  };
  return (
    <label className="field">
      <span className="field-label">{field.label}</span>
      {field.kind === "text" && (
        <input {...control} value={value as string} onChange={(e) => onChange(e.target.value)} />
      )}
      {field.kind === "choice" && (
        <select {...control} value={value as string} onChange={(e) => onChange(e.target.value)}>
          {field.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      )}
      {field.kind === "list" && (
        <ListEditor
          label={field.listLabel}
          items={value as string[]}
          placeholder={field.placeholder}
          {...(field.secret ? { secret: true } : {})}
          onChange={onChange}
        />
      )}
      {message && (
        <span className="field-error" role="alert" id={`${id}-error`}>
          {field.label} {message}
        </span>
      )}
      {hint && (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
    </label>
  );
}
