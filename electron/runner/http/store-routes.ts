/**
 * Hangar's own store endpoints, for the `hangar` CLI acting on this runner from another machine
 * (HANGAR_URL): the store's models as the CLI lists them, pushes that stream their progress as NDJSON,
 * and disk usage (pulls go through the runner's pull queue). Ollama's /api/tags, /api/pull, /api/delete and /api/copy stay for its clients.
 */
import type { ServerResponse } from "node:http";
import type { ModelLibrary } from "../models.ts";
import type { ModelStore } from "../store/model-store.ts";
import { pushModel } from "../distribution/push-model.ts";
import { v } from "../../contract/validate.ts";
import { toHttpError } from "./errors.ts";
import { sendJson, type RequestContext, type Router } from "./router.ts";

export interface StoreRouteDeps {
  store: ModelStore;
  library: ModelLibrary;
  /** Where push credentials are looked up (the runner's environment). */
  env: NodeJS.ProcessEnv;
}

const manage = { management: true };
const pushBody = v.object({ model: v.string({ min: 1 }), to: v.optional(v.string({ min: 1 })) });

/** NDJSON lines, then a last line: `{"done": result}` or `{"error": {code, message}}`. */
async function streamLines<T>(
  ctx: RequestContext,
  work: (line: (data: unknown) => void) => Promise<T>,
): Promise<void> {
  const res: ServerResponse = ctx.res;
  res.writeHead(200, { "content-type": "application/x-ndjson", "cache-control": "no-cache" });
  res.flushHeaders();
  const line = (data: unknown) => {
    if (!res.writableEnded) res.write(JSON.stringify(data) + "\n");
  };
  try {
    line({ done: await work(line) });
  } catch (error) {
    const e = toHttpError(error);
    line({ error: { code: e.code ?? "internal", message: e.message, status: e.status } });
  }
  res.end();
}

export function addStoreRoutes(router: Router, deps: StoreRouteDeps): void {
  router
    .add("GET", "/hangar/models", async (ctx) => sendJson(ctx.res, 200, await deps.library.list()), manage)
    .add(
      "GET",
      "/hangar/store/usage",
      async (ctx) => sendJson(ctx.res, 200, await deps.store.usage()),
      manage,
    )
    .add(
      "POST",
      "/hangar/push",
      async (ctx) => {
        const { model, to } = pushBody(await ctx.json(), "body");
        await streamLines(ctx, (line) =>
          pushModel(deps.store, model, {
            target: to,
            env: deps.env,
            signal: ctx.signal,
            onBlob: (digest, outcome) => line({ blob: { digest, outcome } }),
          }),
        );
      },
      manage,
    );
}
