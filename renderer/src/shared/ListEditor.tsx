/** Edits a list of strings: one row per item with Remove, and an input to add one. */
import { useState } from "react";

export function ListEditor(props: {
  label: string;
  items: string[];
  placeholder: string;
  secret?: boolean;
  onChange(items: string[]): void;
}) {
  const [value, setValue] = useState("");
  const add = () => {
    const v = value.trim();
    if (v && !props.items.includes(v)) props.onChange([...props.items, v]);
    setValue("");
  };
  return (
    <div className="list-editor" role="group" aria-label={props.label}>
      {props.items.length === 0 && <div className="muted small">None</div>}
      <ul>
        {props.items.map((item) => (
          <li key={item}>
            <span className="mono">{props.secret ? `${item.slice(0, 4)}…${"•".repeat(8)}` : item}</span>
            <button
              type="button"
              className="btn small ghost"
              aria-label={`Remove ${props.secret ? "key" : item}`}
              onClick={() => props.onChange(props.items.filter((x) => x !== item))}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <div className="row">
        <input
          aria-label={`Add to ${props.label}`}
          placeholder={props.placeholder}
          value={value}
          type={props.secret ? "password" : "text"}
          onChange={(e) => setValue(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" className="btn small" onClick={add} disabled={!value.trim()}>
          Add
        </button>
      </div>
    </div>
  );
}
