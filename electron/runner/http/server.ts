/**
 * The runner's HTTP server: browser-safety checks (Host, Origin, API key), then the OpenAI and Ollama
 * APIs, metrics and health, then the static renderer (browser mode). One request log row per request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { randomUUID } from "node:crypto";
import type { Logger } from "../logs/types.ts";
import { serveStatic } from "./static-files.ts";
import { HttpError, toHttpError } from "./errors.ts";
import { apiOfPath, errorBody, OLLAMA_PROBE_TEXT, wantsHtml } from "./error-styles.ts";
import { readJsonBody, Router, sendJson, type RequestContext, type Route } from "./router.ts";
import { AccessPolicy, corsHeaders, inferenceOnly } from "./security.ts";
import type { Metrics } from "./metrics.ts";
import { loggedError, requestParameters } from "./request-parameters.ts";

export type UpgradeHandler = (req: IncomingMessage, socket: Socket, head: Buffer) => void;

export interface HttpServerOptions {
  policy: AccessPolicy;
  logger: Logger;
  metrics: Metrics;
  /** Folder with the built renderer, served at / for browser mode; omitted: no UI. */
  rendererDir?: string;
  /** Largest accepted JSON body (default 8 MiB). */
  maxBodyBytes?: number;
}

export class HttpServer {
  readonly server: Server;
  readonly router = new Router();
  private readonly upgrades = new Map<string, UpgradeHandler>();
  private address: string | null = null;
  private apiPaused = false;

  constructor(private readonly options: HttpServerOptions) {
    this.server = createServer({ noDelay: true }, (req, res) => void this.handle(req, res));
    this.addProbeRoute();
    this.server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) =>
      this.handleUpgrade(req, socket, head),
    );
  }

  /** Registers a WebSocket (or other upgrade) handler for one path; Host and Origin are checked first. */
  onUpgrade(path: string, handler: UpgradeHandler): () => void {
    this.upgrades.set(path, handler);
    return () => void this.upgrades.delete(path);
  }

  /**
   * While paused the listener stays up for the web UI and its bridge, but every API route answers 503:
   * in browser mode the page that asked to stop the runner must still be there to start it again.
   */
  pauseApi(paused: boolean): void {
    this.apiPaused = paused;
  }

  get listening(): boolean {
    return this.server.listening;
  }

  get url(): string | null {
    return this.address;
  }

  /** `GET /`: Ollama's discovery text for API clients; browsers (Accept: text/html) get the app instead. */
  private addProbeRoute(): void {
    this.router.add(
      "GET",
      "/",
      async (ctx) => {
        ctx.res.writeHead(200, {
          "content-type": "text/plain; charset=utf-8",
          "content-length": String(OLLAMA_PROBE_TEXT.length),
        });
        ctx.res.end(ctx.req.method === "HEAD" ? undefined : OLLAMA_PROBE_TEXT);
      },
      { public: true, errors: "ollama", management: false },
    );
  }

  async listen(host: string, port: number): Promise<string> {
    this.options.policy.assertSafeToListen();
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once("error", onError);
      this.server.listen(port, host, () => {
        this.server.off("error", onError);
        resolve();
      });
    });
    const { port: bound } = this.server.address() as AddressInfo;
    const shown =
      host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "[::1]" : host.includes(":") ? `[${host}]` : host;
    this.address = `http://${shown}:${bound}`;
    return this.address;
  }

  async close(): Promise<void> {
    if (!this.server.listening) return;
    this.address = null;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handleUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const { policy } = this.options;
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const handler = this.upgrades.get(path);
    const origin = header(req, "origin");
    const verdict = policy.originVerdict(origin, req.headers.host);
    if (!handler || !policy.hostAllowed(req.headers.host) || verdict === "denied" || inferenceOnly(verdict)) {
      socket.end(
        `HTTP/1.1 ${handler ? 403 : 404} ${handler ? "Forbidden" : "Not Found"}\r\nconnection: close\r\n\r\n`,
      );
      return;
    }
    handler(req, socket, head);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const id = randomUUID().slice(0, 12);
    const url = new URL(req.url ?? "/", "http://localhost");
    const origin = header(req, "origin");
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort(new Error("client disconnected"));
    });
    const ctx: RequestContext = {
      id,
      req,
      res,
      url,
      params: {},
      signal: controller.signal,
      json: async () => {
        const body = await readJsonBody(req, this.options.maxBodyBytes ?? 8 * 1024 * 1024);
        const parameters = requestParameters(body);
        if (parameters) ctx.stats.parameters = parameters;
        return body;
      },
      stats: {},
      mayManage: true,
    };
    let route: Route | null = null;
    res.setHeader("x-request-id", id);
    res.once("close", () => this.finish(ctx, route, origin, started));
    try {
      route = await this.dispatch(ctx, origin, (r) => (route = r));
    } catch (error) {
      const e = toHttpError(error);
      ctx.stats.error = loggedError(e.code ?? undefined, e.message);
      if (e.status >= 500) this.options.logger.error("http", `${req.method} ${url.pathname}: ${e.message}`);
      if (res.headersSent) {
        // Mid-stream failures are reported inside the stream by the handler; here the socket is all that is left.
        res.destroy();
        return;
      }
      if (e.status === 413) res.setHeader("connection", "close");
      sendJson(res, e.status, errorBody(route?.errors ?? apiOfPath(url.pathname) ?? "openai", e), e.headers);
    }
  }

  private async dispatch(
    ctx: RequestContext,
    origin: string | undefined,
    setRoute: (r: Route) => void,
  ): Promise<Route | null> {
    const { req, res, url } = ctx;
    const { policy } = this.options;
    const method = req.method ?? "GET";
    if (!policy.hostAllowed(req.headers.host))
      throw new HttpError(
        403,
        `Host "${req.headers.host ?? ""}" is not allowed: Hangar answers loopback names and configured hosts only (this protects against DNS rebinding). Add it to "allowedHosts" to allow it.`,
        "forbidden",
        "host_not_allowed",
      );
    const verdict = policy.originVerdict(origin, req.headers.host);
    if (verdict === "denied")
      throw new HttpError(
        403,
        `Origin ${origin} is not allowed to call this API; add it to "corsOrigins" (or --cors) to allow it.`,
        "forbidden",
        "origin_not_allowed",
      );
    const cors = origin && verdict !== "none";
    if (method === "OPTIONS") {
      res.writeHead(
        204,
        cors ? corsHeaders(origin, req, true) : { allow: "GET, POST, PUT, DELETE, OPTIONS" },
      );
      res.end();
      return null;
    }
    if (cors)
      for (const [k, value] of Object.entries(corsHeaders(origin, req, false))) res.setHeader(k, value);
    const app = this.options.rendererDir;
    const found =
      url.pathname === "/" && app && wantsHtml(req) ? null : this.router.match(method, url.pathname);
    if (!found) {
      if (app && !apiOfPath(url.pathname) && (await serveStatic(app, req, res))) return null;
      throw new HttpError(404, `Not found: ${method} ${url.pathname}`, "invalid_request_error", "not_found");
    }
    const { route, params } = found;
    setRoute(route);
    if (this.apiPaused && /^\/(v1|api)\//.test(url.pathname))
      throw new HttpError(
        503,
        "The runner is stopped: start it from Hangar (the toggle in the app or the tray) to use the API.",
        "unavailable",
        "runner_stopped",
      );
    ctx.params = params;
    ctx.mayManage = !inferenceOnly(verdict);
    if (route.management && inferenceOnly(verdict))
      throw new HttpError(
        403,
        `Origin ${origin} may use the inference API but not manage models or settings; list it in "corsOrigins" explicitly.`,
        "forbidden",
        "origin_not_allowed",
      );
    if (!route.public && !policy.keyAccepted(req, route.errors === "anthropic"))
      throw new HttpError(
        401,
        route.errors === "anthropic"
          ? "Missing or invalid API key: send it as `x-api-key: <key>` or `Authorization: Bearer <key>`."
          : "Missing or invalid API key: send it as `Authorization: Bearer <key>`.",
        "invalid_request_error",
        "invalid_api_key",
      );
    await route.handler(ctx);
    return route;
  }

  private finish(
    ctx: RequestContext,
    route: Route | null,
    origin: string | undefined,
    started: number,
  ): void {
    const status = ctx.res.writableFinished ? ctx.res.statusCode : 499;
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    const routeName = route?.pattern ?? (ctx.req.method === "OPTIONS" ? "preflight" : "other");
    this.options.metrics.request(routeName, ctx.req.method ?? "GET", status);
    const s = ctx.stats;
    if (s.model && s.completionTokens !== undefined)
      this.options.metrics.generation({
        model: s.model,
        promptTokens: s.promptTokens ?? 0,
        completionTokens: s.completionTokens,
        timeToFirstTokenMs: s.timeToFirstTokenMs ?? 0,
        tokensPerSecond: s.tokensPerSecond ?? 0,
      });
    if (!route && status < 400) return; // static files and preflights stay out of the request log
    this.options.logger.log({
      level: status >= 500 ? "error" : status >= 400 ? "warn" : "info",
      source: "http",
      message: `${ctx.req.method} ${ctx.url.pathname} ${status} ${latencyMs} ms`,
      ...(s.model ? { model: s.model } : {}),
      request: {
        id: ctx.id,
        method: ctx.req.method ?? "GET",
        path: ctx.url.pathname,
        status,
        latencyMs,
        ...(origin ? { origin } : {}),
        ...(s.promptTokens !== undefined ? { promptTokens: s.promptTokens } : {}),
        ...(s.completionTokens !== undefined ? { completionTokens: s.completionTokens } : {}),
        ...(s.tokensPerSecond !== undefined ? { tokensPerSecond: s.tokensPerSecond } : {}),
        ...(s.timeToFirstTokenMs !== undefined ? { timeToFirstTokenMs: s.timeToFirstTokenMs } : {}),
        ...(s.parameters ? { parameters: s.parameters } : {}),
        ...(s.error ? { error: s.error } : {}),
      },
    });
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
