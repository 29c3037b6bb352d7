/**
 * Small runtime validators that double as TypeScript types: the one validation dialect of every
 * boundary (bridge calls and frames, HTTP request bodies, worker messages, settings from a file, the
 * environment or the UI). A validator returns the checked (possibly normalized) value or throws a
 * ValidationError naming the path of the first bad field.
 *
 * Validators recurse only as deep as the schema is written, never as deep as the input: input nesting
 * is checked by `v.json`, which walks with an explicit stack and a depth limit, so hostile input
 * (thousands of nested arrays) gets an error instead of overflowing the stack.
 */
export type Validator<T> = (value: unknown, path?: string) => T;
export type Infer<V> = V extends Validator<infer T> ? T : never;

type Simplify<T> = { [K in keyof T]: T[K] } & {};
/** Keys whose validator accepts undefined become optional properties. */
export type ObjectOf<S extends Record<string, Validator<unknown>>> = Simplify<
  { [K in keyof S as undefined extends Infer<S[K]> ? never : K]: Infer<S[K]> } & {
    [K in keyof S as undefined extends Infer<S[K]> ? K : never]?: Infer<S[K]>;
  }
>;

export class ValidationError extends Error {
  readonly code = "invalid_request";
  constructor(message: string) {
    super(message);
    this.name = "ValidationError";
  }
}

/** Default limit of `v.json`: deeper than any real request, far shallower than the stack. */
export const MAX_JSON_DEPTH = 64;

const kind = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "array" : typeof value);
const at = (path: string) => path || "value";
const child = (path: string, key: string) => (path ? `${path}.${key}` : key);
const fail = (path: string, expected: string, value: unknown): never => {
  throw new ValidationError(`${at(path)} must be ${expected} (got ${kind(value)})`);
};
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export interface ObjectOptions {
  /** Keys the shape does not name: dropped ("strip", the default) or refused ("reject"). */
  unknownKeys?: "strip" | "reject";
  /** What a key is called in the message about an unknown one ("key" unless told). */
  keyName?: string;
}

export const v = {
  string:
    (opts: { min?: number; max?: number; pattern?: RegExp; trim?: boolean } = {}): Validator<string> =>
    (value, path = "") => {
      if (typeof value !== "string") return fail(path, "a string", value);
      const s = opts.trim ? value.trim() : value;
      if (opts.min !== undefined && s.length < opts.min)
        throw new ValidationError(`${at(path)} must be at least ${opts.min} characters`);
      if (opts.max !== undefined && s.length > opts.max)
        throw new ValidationError(`${at(path)} must be at most ${opts.max} characters`);
      if (opts.pattern && !opts.pattern.test(s))
        throw new ValidationError(
          `${at(path)} has an unexpected form (got ${JSON.stringify(s.slice(0, 80))})`,
        );
      return s;
    },
  number:
    (opts: { min?: number; max?: number; integer?: boolean } = {}): Validator<number> =>
    (value, path = "") => {
      if (typeof value !== "number" || !Number.isFinite(value)) return fail(path, "a number", value);
      if (opts.integer && !Number.isInteger(value)) return fail(path, "an integer", value);
      if (opts.min !== undefined && value < opts.min)
        throw new ValidationError(`${at(path)} must be >= ${opts.min}`);
      if (opts.max !== undefined && value > opts.max)
        throw new ValidationError(`${at(path)} must be <= ${opts.max}`);
      return value;
    },
  boolean:
    (): Validator<boolean> =>
    (value, path = "") =>
      typeof value === "boolean" ? value : fail(path, "a boolean", value),
  literal:
    <const T extends readonly (string | number | boolean)[]>(...options: T): Validator<T[number]> =>
    (value, path = "") =>
      options.includes(value as T[number])
        ? (value as T[number])
        : fail(path, `one of ${options.join(", ")}`, value),
  optional:
    <T>(inner: Validator<T>): Validator<T | undefined> =>
    (value, path) =>
      value === undefined ? undefined : inner(value, path),
  nullable:
    <T>(inner: Validator<T>): Validator<T | null> =>
    (value, path) =>
      value === null ? null : inner(value, path),
  array:
    <T>(item: Validator<T>, opts: { min?: number; max?: number } = {}): Validator<T[]> =>
    (value, path = "") => {
      if (!Array.isArray(value)) return fail(path, "an array", value);
      if (opts.min !== undefined && value.length < opts.min)
        throw new ValidationError(
          `${at(path)} must have at least ${opts.min} item${opts.min === 1 ? "" : "s"}`,
        );
      if (opts.max !== undefined && value.length > opts.max)
        throw new ValidationError(`${at(path)} must have at most ${opts.max} items`);
      return value.map((x, i) => item(x, `${path}[${i}]`));
    },
  record:
    <T>(item: Validator<T>, opts: { maxKeys?: number } = {}): Validator<Record<string, T>> =>
    (value, path = "") => {
      if (!isPlainObject(value)) return fail(path, "an object", value);
      const entries = Object.entries(value);
      if (opts.maxKeys !== undefined && entries.length > opts.maxKeys)
        throw new ValidationError(`${at(path)} must have at most ${opts.maxKeys} keys`);
      const out: Record<string, T> = {};
      for (const [k, x] of entries) out[k] = item(x, child(path, k));
      return out;
    },
  object:
    <S extends Record<string, Validator<unknown>>>(
      shape: S,
      opts: ObjectOptions = {},
    ): Validator<ObjectOf<S>> =>
    (value, path = "") => {
      if (!isPlainObject(value)) return fail(path, "an object", value);
      if (opts.unknownKeys === "reject")
        for (const k of Object.keys(value))
          if (!Object.hasOwn(shape, k))
            throw new ValidationError(
              `${path ? `${path}: ` : ""}unknown ${opts.keyName ?? "key"} "${k}" (known: ${Object.keys(shape).join(", ")})`,
            );
      const out: Record<string, unknown> = {};
      for (const [k, check] of Object.entries(shape)) {
        const x = check(value[k], child(path, k));
        if (x !== undefined) out[k] = x;
      }
      return out as ObjectOf<S>;
    },
  /** The first of `options` that accepts the value; the error lists what each expected. */
  union:
    <const V extends readonly Validator<unknown>[]>(...options: V): Validator<Infer<V[number]>> =>
    (value, path = "") => {
      const reasons: string[] = [];
      for (const option of options) {
        try {
          return option(value, path) as Infer<V[number]>;
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          reasons.push(error.message);
        }
      }
      throw new ValidationError(
        reasons.length === 1
          ? reasons[0]!
          : `${at(path)} matches none of its forms: ${reasons.join("; or ")}`,
      );
    },
  /** An object told apart by one key (`type`, `kind`, `ok`…): the key's value picks the validator. */
  discriminated:
    <M extends Record<string, Validator<unknown>>>(key: string, cases: M): Validator<Infer<M[keyof M]>> =>
    (value, path = "") => {
      if (!isPlainObject(value)) return fail(path, "an object", value);
      const tag = value[key];
      const name =
        typeof tag === "string" || typeof tag === "number" || typeof tag === "boolean" ? String(tag) : "";
      if (!Object.hasOwn(cases, name))
        throw new ValidationError(
          `${child(path, key)} must be one of ${Object.keys(cases)
            .map((k) => JSON.stringify(k))
            .join(", ")} (got ${tag === undefined ? "nothing" : JSON.stringify(tag)})`,
        );
      return cases[name]!(value, path) as Infer<M[keyof M]>;
    },
  /** `inner`, then a rule of its own: `rule` returns an error message, or null when the value is fine. */
  refine:
    <T>(inner: Validator<T>, rule: (value: T) => string | null): Validator<T> =>
    (value, path = "") => {
      const checked = inner(value, path);
      const problem = rule(checked);
      if (problem !== null) throw new ValidationError(`${at(path)} ${problem}`);
      return checked;
    },
  /** `inner`, then a conversion of the checked value (trim, lowercase, parse). */
  map:
    <T, U>(inner: Validator<T>, convert: (value: T, path: string) => U): Validator<U> =>
    (value, path = "") =>
      convert(inner(value, path), path),
  /**
   * Any JSON value (tool schemas, arguments, free-form fields) nested at most `maxDepth` deep. Walks
   * with an explicit stack, so no input is deep enough to overflow the call stack.
   */
  json:
    (opts: { maxDepth?: number } = {}): Validator<unknown> =>
    (value, path = "") => {
      const maxDepth = opts.maxDepth ?? MAX_JSON_DEPTH;
      const stack: [unknown, number][] = [[value, 0]];
      while (stack.length > 0) {
        const [x, depth] = stack.pop()!;
        if (x === null || typeof x === "string" || typeof x === "boolean") continue;
        if (typeof x === "number") {
          if (!Number.isFinite(x)) return fail(path, "JSON (finite numbers only)", x);
          continue;
        }
        if (typeof x !== "object") return fail(path, "JSON", x);
        if (depth >= maxDepth)
          throw new ValidationError(`${at(path)} is nested more than ${maxDepth} levels deep`);
        for (const item of Array.isArray(x) ? x : Object.values(x)) stack.push([item, depth + 1]);
      }
      return value;
    },
  unknown: (): Validator<unknown> => (value) => value,
};

/** Parameters of an operation that takes none: nothing, or an empty object. */
export const noParams = v.optional(v.object({}));
