/**
 * What the request log keeps of a JSON body: the parameters a user needs to see why a request was
 * answered as it was (model, sampling, limits, stream), never what people wrote. Prompts, messages and
 * any other free text are reduced to their size; only named identifier fields keep their text, and
 * anything that names a key, token or password is left out altogether.
 */

export type RequestParameters = Record<string, string | number | boolean | null>;

/** String fields whose value is an identifier or an option, not something a person wrote. */
const KEPT_STRINGS = new Set([
  "model",
  "keep_alive",
  "format",
  "type",
  "tool_choice",
  "reasoning_effort",
  "service_tier",
  "encoding_format",
  "quantize",
  "from",
  "name",
]);
const SECRET = /(^|[_-])(api[_-]?key|apikey|key|token|secret|password|passwd|authorization|credentials?)$/i;
/** Nested objects whose scalar entries are parameters too (`options.temperature`). */
const NESTED = new Set(["options", "stream_options", "response_format", "thinking", "reasoning"]);
const MAX_PARAMETERS = 40;
const MAX_STRING = 200;

export function requestParameters(body: unknown): RequestParameters | undefined {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
  const out: RequestParameters = {};
  collect(body as Record<string, unknown>, "", out, 0);
  return Object.keys(out).length > 0 ? out : undefined;
}

function collect(object: Record<string, unknown>, prefix: string, out: RequestParameters, depth: number) {
  for (const [key, value] of Object.entries(object)) {
    if (Object.keys(out).length >= MAX_PARAMETERS) return;
    if (SECRET.test(key)) continue;
    const name = prefix + key;
    if (value === null || typeof value === "number" || typeof value === "boolean") out[name] = value;
    else if (typeof value === "string")
      out[name] = KEPT_STRINGS.has(key) ? value.slice(0, MAX_STRING) : `(${value.length} characters)`;
    else if (Array.isArray(value)) out[name] = `(${value.length} ${value.length === 1 ? "item" : "items"})`;
    else if (typeof value === "object" && depth === 0 && NESTED.has(key))
      collect(value as Record<string, unknown>, `${name}.`, out, depth + 1);
    else if (typeof value === "object") out[name] = "(object)";
  }
}

/** The error a request was answered with, as the log shows it: the code and a bounded message. */
export function loggedError(code: string | undefined, message: string): { code?: string; message: string } {
  const text = message.length > 1000 ? `${message.slice(0, 1000)}…` : message;
  return code ? { code, message: text } : { message: text };
}
