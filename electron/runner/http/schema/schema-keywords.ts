/**
 * Which JSON Schema keywords the generation grammar enforces. node-llama-cpp 3.21 builds its grammar
 * from `type`, `properties` (every listed property is emitted), `additionalProperties`,
 * `min/maxProperties`, `items`, `prefixItems`, `min/maxItems`, `min/maxLength`, `format` (date, time,
 * date-time), `enum`, `const`, `oneOf`/`anyOf` and `$ref`/`$defs`
 * (utils/gbnfJson/utils/getGbnfJsonTerminalForGbnfJsonSchema.js). Everything else that constrains a value
 * is not enforced while generating. Integer ranges small enough to list are rewritten as an `enum`, so
 * `minimum`/`maximum` on them are enforced too.
 */

/** Keywords that only describe (they constrain nothing), or that the grammar enforces. */
const ANNOTATIONS = new Set([
  "$schema",
  "$id",
  "$comment",
  "$anchor",
  "title",
  "description",
  "default",
  "examples",
  "deprecated",
  "readOnly",
  "writeOnly",
  "contentMediaType",
  "strict",
  "nullable",
]);
const ENFORCED = new Set([
  "type",
  "properties",
  "required",
  "additionalProperties",
  "minProperties",
  "maxProperties",
  "items",
  "prefixItems",
  "minItems",
  "maxItems",
  "minLength",
  "maxLength",
  "enum",
  "const",
  "oneOf",
  "anyOf",
  "$ref",
  "$defs",
  "definitions",
]);
const GRAMMAR_FORMATS = new Set(["date", "time", "date-time"]);
/** Integer ranges up to this many values become an enum. */
const MAX_LISTED_INTEGERS = 256;

export interface UnenforcedKeyword {
  keyword: string;
  /** JSON pointer-like path of the schema holding it, e.g. "properties.age". */
  path: string;
}

export interface PreparedSchema {
  /** The schema the grammar is built from (integer ranges listed). */
  schema: Record<string, unknown>;
  unenforced: UnenforcedKeyword[];
}

type Schema = Record<string, unknown>;
const isSchema = (x: unknown): x is Schema => typeof x === "object" && x !== null && !Array.isArray(x);

function integerRange(s: Schema): number[] | null {
  if (s.type !== "integer" || s.enum !== undefined || s.const !== undefined) return null;
  const bound = (inclusive: unknown, exclusive: unknown, dir: 1 | -1): number | null => {
    const candidates: number[] = [];
    if (typeof inclusive === "number")
      candidates.push(dir === 1 ? Math.ceil(inclusive) : Math.floor(inclusive));
    if (typeof exclusive === "number")
      candidates.push(dir === 1 ? Math.floor(exclusive) + 1 : Math.ceil(exclusive) - 1);
    if (candidates.length === 0) return null;
    return dir === 1 ? Math.max(...candidates) : Math.min(...candidates);
  };
  const low = bound(s.minimum, s.exclusiveMinimum, 1);
  const high = bound(s.maximum, s.exclusiveMaximum, -1);
  if (low === null || high === null || high < low || high - low + 1 > MAX_LISTED_INTEGERS) return null;
  const step =
    typeof s.multipleOf === "number" && Number.isInteger(s.multipleOf) && s.multipleOf > 0 ? s.multipleOf : 1;
  const values: number[] = [];
  for (let n = low; n <= high; n++) if (n % step === 0) values.push(n);
  return values.length ? values : null;
}

function walk(s: unknown, path: string, out: UnenforcedKeyword[]): unknown {
  if (!isSchema(s)) return s;
  const listed = integerRange(s);
  const schema: Schema = {};
  for (const [keyword, value] of Object.entries(s)) {
    const at = path ? `${path}.${keyword}` : keyword;
    if (
      listed &&
      ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"].includes(keyword)
    )
      continue;
    if (keyword === "format" && !GRAMMAR_FORMATS.has(String(value))) {
      out.push({ keyword: `format "${String(value)}"`, path: path || "(root)" });
      continue;
    }
    if (keyword === "format") schema[keyword] = value;
    else if (ANNOTATIONS.has(keyword)) schema[keyword] = value;
    else if (!ENFORCED.has(keyword)) {
      out.push({ keyword, path: path || "(root)" });
      schema[keyword] = value;
    } else if (keyword === "properties" || keyword === "$defs" || keyword === "definitions")
      schema[keyword] = isSchema(value)
        ? Object.fromEntries(Object.entries(value).map(([k, x]) => [k, walk(x, `${at}.${k}`, out)]))
        : value;
    else if (keyword === "items" || keyword === "additionalProperties")
      schema[keyword] = walk(value, at, out);
    else if (keyword === "prefixItems" || keyword === "oneOf" || keyword === "anyOf")
      schema[keyword] = Array.isArray(value) ? value.map((x, i) => walk(x, `${at}[${i}]`, out)) : value;
    else schema[keyword] = value;
  }
  if (listed) schema.enum = listed;
  return schema;
}

/** The schema to build the grammar from, and the keywords that grammar would not enforce. */
export function prepareSchema(schema: Record<string, unknown>): PreparedSchema {
  const unenforced: UnenforcedKeyword[] = [];
  const prepared = walk(schema, "", unenforced) as Record<string, unknown>;
  return { schema: prepared, unenforced };
}

export const describeUnenforced = (list: UnenforcedKeyword[]) =>
  list.map((k) => `${k.keyword} (at ${k.path})`).join(", ");
