/** A small method + path router with `:param` segments, and the per-request context handlers get. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { assertJsonWithin, BODY_LIMITS } from "../../contract/json-bounds.ts";
import { HttpError } from "./errors.ts";
import type { RequestParameters } from "./request-parameters.ts";

export type ErrorStyle = "openai" | "ollama" | "anthropic";

/** Numbers a handler reports for the request log and metrics. */
export interface RequestStats {
  model?: string;
  promptTokens?: number;
  completionTokens?: number;
  tokensPerSecond?: number;
  timeToFirstTokenMs?: number;
  /** What the body asked for, without its text (see request-parameters.ts). */
  parameters?: RequestParameters;
  /** The error the request was answered with. */
  error?: { code?: string; message: string };
}

export interface RequestContext {
  id: string;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  /** Aborted when the client goes away before the response ends. */
  signal: AbortSignal;
  /** The parsed JSON body (400 on bad JSON, 413 when too large). */
  json(): Promise<unknown>;
  stats: RequestStats;
  /** False for origins allowed only through "*": they may run inference but not manage models. */
  mayManage: boolean;
}

export type Handler = (ctx: RequestContext) => Promise<void>;

export interface RouteOptions {
  /** Error body shape: OpenAI's `{error:{...}}`, Ollama's `{error:"..."}` or Anthropic's `{type:"error",error:{type,message}}`. */
  errors?: ErrorStyle;
  /**
   * Changes or reveals models, settings or logs: refused from origins allowed only through "*". Every
   * route states it (no default), so a new route cannot slip past the check by omission.
   */
  management: boolean;
  /** Answered without an API key (health checks). */
  public?: boolean;
}

export interface Route extends Required<RouteOptions> {
  method: string;
  pattern: string;
  handler: Handler;
}

export class Router {
  private readonly routes: { route: Route; parts: string[] }[] = [];

  add(method: string, pattern: string, handler: Handler, options: RouteOptions): this {
    this.routes.push({
      route: { method, pattern, handler, errors: "openai", public: false, ...options },
      parts: pattern.split("/"),
    });
    return this;
  }

  /** The route for a request; a path known under another method answers 405. */
  match(method: string, path: string): { route: Route; params: Record<string, string> } | null {
    const segments = path.split("/");
    let pathMatched: Route | null = null;
    for (const { route, parts } of this.routes) {
      const params = matchParts(parts, segments);
      if (!params) continue;
      if (route.method === method || (method === "HEAD" && route.method === "GET")) return { route, params };
      pathMatched = route;
    }
    if (pathMatched)
      throw new HttpError(
        405,
        `${method} is not supported on ${path}`,
        "invalid_request_error",
        "method_not_allowed",
      );
    return null;
  }
}

/** A path segment, percent-decoded; a malformed escape ("%ZZ") is the client's error. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(
      400,
      `malformed percent-escape in the path segment "${segment}"`,
      "invalid_request_error",
      "invalid_path",
    );
  }
}

function matchParts(parts: string[], segments: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  const rest = parts[parts.length - 1] === "*";
  if (rest ? segments.length < parts.length - 1 : segments.length !== parts.length) return null;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === "*") {
      params["*"] = segments.slice(i).map(decodeSegment).join("/");
      return params;
    }
    const segment = segments[i]!;
    if (part.startsWith(":")) {
      if (!segment) return null;
      params[part.slice(1)] = decodeSegment(segment);
    } else if (part !== segment) return null;
  }
  return params;
}

/** Reads a JSON body up to `limit` bytes. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (declared > limit)
    throw new HttpError(
      413,
      `request body is ${declared} bytes; the limit is ${limit}`,
      "invalid_request_error",
      "body_too_large",
    );
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit)
      throw new HttpError(
        413,
        `request body exceeds the limit of ${limit} bytes`,
        "invalid_request_error",
        "body_too_large",
      );
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "")
    throw new HttpError(400, "request body is empty; expected JSON", "invalid_request_error", "invalid_json");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new HttpError(
      400,
      `request body is not valid JSON: ${(error as Error).message}`,
      "invalid_request_error",
      "invalid_json",
    );
  }
  // JSON.parse itself is iterative; what walks the body later (validators, serializers) may not be.
  assertJsonWithin(body, BODY_LIMITS, "request body");
  return body;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
  });
  res.end(text);
}
