/**
 * The few facts a person looks for first in a model's metadata, read from the model's summary and,
 * where the summary has no answer, from its GGUF header.
 */
import type { ModelDetails } from "../../../../electron/contract/index.ts";
import { formatBytes } from "../../shared/format.ts";

export interface ModelFact {
  label: string;
  value: string;
}

const text = (v: unknown): string | null =>
  typeof v === "string" && v.trim() ? v.trim() : typeof v === "number" ? String(v) : null;

/** "1.2B" from a raw parameter count. */
function humanCount(n: number): string {
  for (const [size, unit] of [
    [1e12, "T"],
    [1e9, "B"],
    [1e6, "M"],
    [1e3, "K"],
  ] as const)
    if (n >= size) return `${Number((n / size).toFixed(n >= size * 100 ? 0 : 1))}${unit}`;
  return String(n);
}

/** The first line of a license text, when it names the license ("Apache License", "MIT License"). */
function licenseName(license: string | null): string | null {
  const first = license
    ?.split("\n")
    .map((l) => l.trim())
    .find(Boolean);
  return first && first.length <= 80 ? first : null;
}

export function modelFacts(details: ModelDetails): ModelFact[] {
  const { model, metadata } = details;
  const architecture = model.architecture ?? text(metadata["general.architecture"]);
  const count = metadata["general.parameter_count"];
  const parameters =
    model.parameters ??
    text(metadata["general.size_label"]) ??
    (typeof count === "number" && count > 0 ? humanCount(count) : null);
  const context =
    model.contextLength ??
    (architecture && typeof metadata[`${architecture}.context_length`] === "number"
      ? (metadata[`${architecture}.context_length`] as number)
      : null);
  const license = text(metadata["general.license"]) ?? licenseName(details.license);
  return [
    { label: "Architecture", value: architecture ?? "unknown" },
    { label: "Parameters", value: parameters ?? "unknown" },
    { label: "Quantization", value: model.quantization ?? "unknown" },
    { label: "Context length", value: context ? `${context.toLocaleString("en-US")} tokens` : "unknown" },
    { label: "Size", value: formatBytes(model.size) },
    { label: "License", value: license ?? (details.license ? "see below" : "not stated") },
  ];
}
