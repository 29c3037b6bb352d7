/**
 * Small runtime validators that double as TypeScript types. Every payload that crosses a process or
 * network boundary (IPC, WebSocket, HTTP, worker messages) goes through one of these.
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

const fail = (path: string, expected: string, value: unknown): never => {
  const got = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  throw new ValidationError(`${path || "value"} must be ${expected} (got ${got})`);
};

export const v = {
  string:
    (opts: { min?: number; max?: number } = {}): Validator<string> =>
    (value, path = "") => {
      if (typeof value !== "string") return fail(path, "a string", value);
      if (opts.min !== undefined && value.length < opts.min)
        throw new ValidationError(`${path || "value"} must be at least ${opts.min} characters`);
      if (opts.max !== undefined && value.length > opts.max)
        throw new ValidationError(`${path || "value"} must be at most ${opts.max} characters`);
      return value;
    },
  number:
    (opts: { min?: number; max?: number; integer?: boolean } = {}): Validator<number> =>
    (value, path = "") => {
      if (typeof value !== "number" || !Number.isFinite(value)) return fail(path, "a number", value);
      if (opts.integer && !Number.isInteger(value)) return fail(path, "an integer", value);
      if (opts.min !== undefined && value < opts.min)
        throw new ValidationError(`${path || "value"} must be >= ${opts.min}`);
      if (opts.max !== undefined && value > opts.max)
        throw new ValidationError(`${path || "value"} must be <= ${opts.max}`);
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
    <T>(item: Validator<T>, opts: { max?: number } = {}): Validator<T[]> =>
    (value, path = "") => {
      if (!Array.isArray(value)) return fail(path, "an array", value);
      if (opts.max !== undefined && value.length > opts.max)
        throw new ValidationError(`${path || "value"} must have at most ${opts.max} items`);
      return value.map((x, i) => item(x, `${path}[${i}]`));
    },
  record:
    <T>(item: Validator<T>): Validator<Record<string, T>> =>
    (value, path = "") => {
      if (typeof value !== "object" || value === null || Array.isArray(value))
        return fail(path, "an object", value);
      const out: Record<string, T> = {};
      for (const [k, x] of Object.entries(value)) out[k] = item(x, path ? `${path}.${k}` : k);
      return out;
    },
  object:
    <S extends Record<string, Validator<unknown>>>(shape: S): Validator<ObjectOf<S>> =>
    (value, path = "") => {
      if (typeof value !== "object" || value === null || Array.isArray(value))
        return fail(path, "an object", value);
      const out: Record<string, unknown> = {};
      for (const [k, check] of Object.entries(shape)) {
        const x = check((value as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
        if (x !== undefined) out[k] = x;
      }
      return out as ObjectOf<S>;
    },
  unknown: (): Validator<unknown> => (value) => value,
};
