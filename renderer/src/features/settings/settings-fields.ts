/**
 * The fields of the Settings screen, one row a setting: where it sits, its label and hint, the kind of
 * control, and how a draft value becomes the value sent. Numbers are parsed on save without checking
 * them here: the patch goes through the contract's settings rules (the ones the runner starts with,
 * see settings-store.ts), so "abc" reaches them as NaN and is refused at its field.
 */
import { RESTART_SETTINGS, type Settings, type SettingsPatch } from "../../../../electron/contract/index.ts";
import { logLevels } from "../../../../electron/contract/logs.ts";
import { IN_PLACE_SOURCE_LABELS } from "../../../../electron/contract/models.ts";

export const SECTIONS = [
  { legend: "Runner API" },
  { legend: "Models" },
  {
    legend: "Models on this computer",
    intro: "Models other apps keep are used where they are, read-only. Hangar never changes their folders.",
  },
  { legend: "App" },
] as const;
export type Section = (typeof SECTIONS)[number]["legend"];

interface FieldBase {
  setting: keyof Settings;
  section: Section;
  label: string;
  hint?: string;
}

/** A value typed as text; `show` gives the text for a setting, `parse` the value sent for a text. */
export interface TextField extends FieldBase {
  kind: "text";
  show(value: Settings[keyof Settings]): string;
  parse(text: string): unknown;
}
/** A list of strings with an input to add one (`listLabel` names the group and its input). */
export interface ListField extends FieldBase {
  kind: "list";
  listLabel: string;
  placeholder: string;
  secret?: boolean;
}
/** One of a few values. */
export interface ChoiceField extends FieldBase {
  kind: "choice";
  options: readonly string[];
}
/** A checkbox whose label follows it. */
export interface CheckField extends FieldBase {
  kind: "check";
}
/** A checkbox per option; the setting lists the options switched off. */
export interface SwitchesField extends FieldBase {
  kind: "switches";
  options: readonly (readonly [id: string, label: string])[];
  /** The accessible name of an option's checkbox. */
  optionLabel(label: string): string;
}
export type SettingField = TextField | ListField | ChoiceField | CheckField | SwitchesField;

/** A field's value while it is edited: text as typed, a list, a choice, a checkbox. */
export type DraftValue = string | string[] | boolean;
export type Draft = Partial<Record<keyof Settings, DraftValue>>;

const GB = 1e9;
/** Empty is not a number: the rules say what the field needs. */
const number = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));
/** Empty means "automatic" (null); anything else must be a number, or the rules say why not. */
const numberOrNull = (text: string) => (text.trim() === "" ? null : Number(text));
const asText = (value: unknown) => (value === null ? "" : String(value));
const integerField = (
  setting: keyof Settings,
  section: Section,
  label: string,
  hint?: string,
): TextField => ({
  kind: "text",
  setting,
  section,
  label,
  ...(hint ? { hint } : {}),
  show: asText,
  parse: number,
});

/** The tools whose model folders can be switched off (a user-added folder is "folder", not listed). */
const SOURCES = Object.entries(IN_PLACE_SOURCE_LABELS).filter(([id]) => id !== "folder");

export const FIELDS: readonly SettingField[] = [
  {
    kind: "text",
    setting: "host",
    section: "Runner API",
    label: "Host",
    hint: "127.0.0.1 keeps the API on this machine; other addresses need an API key.",
    show: asText,
    parse: (text) => text.trim(),
  },
  integerField("port", "Runner API", "Port"),
  {
    kind: "list",
    setting: "corsOrigins",
    section: "Runner API",
    label: "Allowed origins (CORS)",
    hint: "Web pages on these origins may call the API.",
    listLabel: "Allowed origins",
    placeholder: "https://app.example.com",
  },
  {
    kind: "list",
    setting: "apiKeys",
    section: "Runner API",
    label: "API keys",
    hint: "When set, requests must send one as a Bearer token.",
    listLabel: "API keys",
    placeholder: "at least 8 characters",
    secret: true,
  },
  integerField(
    "keepAliveSeconds",
    "Models",
    "Keep-alive (seconds)",
    "How long an idle model stays loaded; -1 keeps it.",
  ),
  {
    kind: "text",
    setting: "memoryBudgetBytes",
    section: "Models",
    label: "Memory budget (GB)",
    hint: "Empty: automatic, a share of this machine's memory.",
    // Typed in GB, stored in bytes.
    show: (bytes) => (bytes === null ? "" : String(+((bytes as number) / GB).toFixed(2))),
    parse: (text) => {
      const gb = numberOrNull(text);
      return gb === null ? null : Math.round(gb * GB);
    },
  },
  {
    ...integerField("threads", "Models", "Threads", "Empty: automatic (physical cores)."),
    parse: numberOrNull,
  },
  integerField("parallel", "Models", "Parallel sequences"),
  integerField("contextSize", "Models", "Default context size (tokens)"),
  {
    kind: "text",
    setting: "modelsDir",
    section: "Models",
    label: "Models directory",
    hint: "Empty: the default under the Hangar home folder.",
    show: asText,
    parse: (text) => (text.trim() === "" ? null : text.trim()),
  },
  {
    kind: "switches",
    setting: "discoveryDisabled",
    section: "Models on this computer",
    label: "Use models from",
    options: SOURCES,
    optionLabel: (label) => `Use models from ${label}`,
  },
  {
    kind: "list",
    setting: "discoveryFolders",
    section: "Models on this computer",
    label: "More folders",
    hint: "Another app's folder (its layout is recognised) or a folder of GGUF files; absolute paths.",
    listLabel: "Model folders",
    placeholder: "/data/models",
  },
  {
    kind: "check",
    setting: "closeToTray",
    section: "App",
    label: "Closing the window keeps Hangar running in the tray",
  },
  {
    kind: "choice",
    setting: "logLevel",
    section: "App",
    label: "Log level",
    hint: "The lowest level kept in the logs; debug adds llama.cpp's detailed lines.",
    options: logLevels,
  },
];

const RESTART_HINT = "Applies the next time Hangar starts.";

/** The hint under a field, with a note when the runner reads the setting only at start. */
export const hintOf = (field: SettingField): string =>
  [field.hint, RESTART_SETTINGS.includes(field.setting) ? RESTART_HINT : null].filter(Boolean).join(" ");

export function toDraft(settings: Settings): Draft {
  return Object.fromEntries(
    FIELDS.map((f) => {
      const value = settings[f.setting];
      return [f.setting, f.kind === "text" ? f.show(value) : (value as DraftValue)];
    }),
  );
}

export function toPatch(draft: Draft): SettingsPatch {
  return Object.fromEntries(
    FIELDS.map((f) => {
      const value = draft[f.setting];
      return [f.setting, f.kind === "text" ? f.parse(value as string) : value];
    }),
  ) as SettingsPatch;
}
