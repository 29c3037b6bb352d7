/** GGUF header metadata as the app shows it (model details): plain values, long arrays summarized. */
const MAX_ARRAY_SHOWN = 8;

/** Bigints as numbers, arrays longer than MAX_ARRAY_SHOWN as "[n items]", the chat template left out. */
export function displayMetadata(
  metadata: Record<string, unknown>,
): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value === "bigint") out[key] = Number(value);
    else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
      out[key] = value;
    else if (Array.isArray(value))
      out[key] =
        value.length > MAX_ARRAY_SHOWN
          ? `[${value.length} items]`
          : JSON.stringify(value, (_k, x: unknown) => (typeof x === "bigint" ? Number(x) : x));
  }
  // The chat template is shown on its own.
  delete out["tokenizer.chat_template"];
  return out;
}
