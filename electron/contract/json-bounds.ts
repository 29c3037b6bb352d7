/**
 * Bounds on parsed JSON values that travel on: a value nested thousands deep overflows the stack of
 * whatever walks it recursively (JSON.stringify, V8's IPC serializer, a grammar builder), and a huge one
 * costs memory and time. Measured without recursion, so the check itself cannot overflow.
 */
import { ValidationError } from "./validate.ts";

export interface JsonLimits {
  /** Deepest nesting of objects and arrays (a scalar at top level is depth 0). */
  maxDepth: number;
  /** Most values in all (objects, arrays, keys' values and array items, scalars). */
  maxNodes?: number;
}

/** Depth and node count of a value, walking objects and arrays with an explicit stack; stops early past `limits`. */
export function measureJson(value: unknown, limits?: JsonLimits): { depth: number; nodes: number } {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  let depth = 0;
  let nodes = 0;
  while (stack.length > 0) {
    const item = stack.pop()!;
    nodes++;
    if (item.value === null || typeof item.value !== "object") continue;
    const childDepth = item.depth + 1;
    depth = Math.max(depth, childDepth);
    if (limits && (depth > limits.maxDepth || nodes > (limits.maxNodes ?? Infinity))) break;
    const children = Array.isArray(item.value) ? item.value : Object.values(item.value);
    for (const child of children) stack.push({ value: child, depth: childDepth });
  }
  return { depth, nodes };
}

/** Throws a ValidationError naming `what` when the value is nested deeper or is larger than allowed. */
export function assertJsonWithin(value: unknown, limits: JsonLimits, what: string): void {
  const { depth, nodes } = measureJson(value, limits);
  if (depth > limits.maxDepth)
    throw new ValidationError(`${what} is nested too deep (more than ${limits.maxDepth} levels)`);
  if (limits.maxNodes !== undefined && nodes > limits.maxNodes)
    throw new ValidationError(`${what} is too large (more than ${limits.maxNodes} values)`);
}

/** JSON schemas the engine turns into grammars (response formats, tool parameters). */
export const SCHEMA_LIMITS: JsonLimits = { maxDepth: 64, maxNodes: 10_000 };
/** Any request body: far deeper than any API needs, far shallower than what overflows a stack. */
export const BODY_LIMITS: JsonLimits = { maxDepth: 128 };
