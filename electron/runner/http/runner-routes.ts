/** Hangar's own endpoints: health, metrics, status, settings, unload and logs (used by the CLI). */
import { v } from "../../contract/validate.ts";
import type { RunnerStatus } from "../../contract/api.ts";
import type { Engine } from "../engine/types.ts";
import type { LogHub, LogFilter } from "../logs/log-hub.ts";
import type { LogLevel, LogSource } from "../logs/types.ts";
import { publicSettings, type Settings } from "../settings/settings.ts";
import { VERSION } from "../version.ts";
import type { Metrics } from "./metrics.ts";
import { HttpError } from "./errors.ts";
import { sendJson, type Router } from "./router.ts";
import { writeOrDrop } from "./stream-write.ts";

export interface RunnerRouteDeps {
  engine: Engine;
  logs: LogHub;
  metrics: Metrics;
  status(): RunnerStatus;
  settings(): Settings;
  /** Validates and stores a settings patch; returns the effective settings. */
  updateSettings(patch: unknown): Promise<Settings>;
}

const LEVELS = ["debug", "info", "warn", "error"] as const;
const SOURCES = ["runner", "engine", "http", "store"] as const;

function logFilter(url: URL): LogFilter & { sinceSeq?: number; limit?: number } {
  const q = url.searchParams;
  const filter: LogFilter & { sinceSeq?: number; limit?: number } = {};
  const level = q.get("level");
  if (level) filter.level = v.literal(...LEVELS)(level, "level") as LogLevel;
  const sources = q.get("source");
  if (sources)
    filter.sources = sources.split(",").map((s, i) => v.literal(...SOURCES)(s, `source[${i}]`) as LogSource);
  const model = q.get("model");
  if (model) filter.model = model;
  const text = q.get("q");
  if (text) filter.text = text;
  const since = q.get("since");
  if (since) filter.sinceSeq = v.number({ integer: true, min: 0 })(Number(since), "since");
  const limit = q.get("limit");
  if (limit) filter.limit = v.number({ integer: true, min: 1, max: 100_000 })(Number(limit), "limit");
  return filter;
}

export function addRunnerRoutes(router: Router, deps: RunnerRouteDeps): void {
  const manage = { management: true };
  // Health, metrics and status reveal nothing a model user may not see.
  const observe = { management: false };
  router
    .add("GET", "/health", async (ctx) => sendJson(ctx.res, 200, { status: "ok", version: VERSION }), {
      ...observe,
      public: true,
    })
    .add(
      "GET",
      "/metrics",
      async (ctx) => {
        const text = deps.metrics.render();
        ctx.res.writeHead(200, {
          "content-type": "text/plain; version=0.0.4; charset=utf-8",
          "content-length": String(Buffer.byteLength(text)),
        });
        ctx.res.end(text);
      },
      observe,
    )
    .add("GET", "/hangar/status", async (ctx) => sendJson(ctx.res, 200, deps.status()), observe)
    .add(
      "GET",
      "/hangar/settings",
      async (ctx) => sendJson(ctx.res, 200, publicSettings(deps.settings())),
      manage,
    )
    .add(
      "PUT",
      "/hangar/settings",
      async (ctx) => sendJson(ctx.res, 200, publicSettings(await deps.updateSettings(await ctx.json()))),
      manage,
    )
    .add(
      "POST",
      "/hangar/unload",
      async (ctx) => {
        const b = v.object({ model: v.optional(v.string({ min: 1 })), all: v.optional(v.boolean()) })(
          await ctx.json(),
          "",
        );
        if (b.all) await deps.engine.unloadAll();
        else if (b.model) {
          if (!deps.engine.loaded().some((m) => m.ref === b.model))
            throw new HttpError(
              404,
              `model "${b.model}" is not loaded`,
              "invalid_request_error",
              "not_loaded",
              "model",
            );
          await deps.engine.unload(b.model);
        } else
          throw new HttpError(400, 'give "model" or "all": true', "invalid_request_error", "invalid_value");
        sendJson(ctx.res, 200, { loaded: deps.engine.loaded().map((m) => m.ref) });
      },
      manage,
    )
    .add(
      "GET",
      "/hangar/logs",
      async (ctx) => {
        const filter = logFilter(ctx.url);
        const follow = ctx.url.searchParams.get("follow") === "1";
        if (!follow) return sendJson(ctx.res, 200, { entries: deps.logs.entries(filter) });
        // NDJSON: the snapshot, then live entries until the client goes away.
        ctx.res.writeHead(200, { "content-type": "application/x-ndjson", "cache-control": "no-cache" });
        const sub = deps.logs.subscribe(
          (entry) => writeOrDrop(ctx.res, JSON.stringify(entry) + "\n"),
          filter,
        );
        for (const entry of sub.snapshot) writeOrDrop(ctx.res, JSON.stringify(entry) + "\n");
        await new Promise<void>((resolve) => {
          if (ctx.signal.aborted) return resolve();
          ctx.signal.addEventListener("abort", () => resolve(), { once: true });
        });
        sub.unsubscribe();
      },
      manage,
    );
}
