/**
 * `POST /api/push`: uploads an installed model to the OCI registry its reference names (credentials
 * from the same places `hangar push` reads them), streaming Ollama's progress lines.
 */
import { v, ValidationError } from "../../contract/validate.ts";
import { pushModel } from "../distribution/push-model.ts";
import type { ModelStore } from "../store/model-store.ts";
import { toHttpError } from "./errors.ts";
import { sendJson, type RequestContext, type Router } from "./router.ts";

async function push(ctx: RequestContext, store: ModelStore, env: NodeJS.ProcessEnv): Promise<void> {
  const b = v.object({
    model: v.optional(v.string({ min: 1 })),
    name: v.optional(v.string({ min: 1 })),
    insecure: v.optional(v.boolean()),
    stream: v.optional(v.boolean()),
  })(await ctx.json(), "");
  const ref = b.model ?? b.name;
  if (!ref) throw new ValidationError("model is required");
  await store.get(ref); // 404 before any output when the model is not installed
  if (b.stream === false) {
    await pushModel(store, ref, { env, signal: ctx.signal });
    return sendJson(ctx.res, 200, { status: "success" });
  }
  ctx.res.writeHead(200, { "content-type": "application/x-ndjson", "cache-control": "no-cache" });
  const line = (data: unknown) => ctx.res.write(JSON.stringify(data) + "\n");
  line({ status: "retrieving manifest" });
  try {
    await pushModel(store, ref, {
      env,
      signal: ctx.signal,
      onBlob: (digest, outcome) =>
        line({
          status:
            outcome === "uploaded" ? `pushing ${digest.slice(7, 19)}` : `${outcome} ${digest.slice(7, 19)}`,
          digest,
        }),
    });
  } catch (error) {
    if (!ctx.signal.aborted) line({ error: toHttpError(error).message });
    return void ctx.res.end();
  }
  line({ status: "pushing manifest" });
  line({ status: "success" });
  ctx.res.end();
}

export function addOllamaPushRoute(router: Router, store: ModelStore, env: NodeJS.ProcessEnv): void {
  router.add("POST", "/api/push", (ctx) => push(ctx, store, env), { errors: "ollama", management: true });
}
