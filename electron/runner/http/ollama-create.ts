/**
 * Ollama's model import over HTTP: `HEAD`/`POST /api/blobs/{digest}` put a file into the store (its
 * bytes must hash to the digest), and `POST /api/create` makes a model from an uploaded GGUF blob, with a
 * Jinja chat template when given. This is what `ollama create` and ollama-js `create` send.
 */
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { v, ValidationError } from "../../contract/validate.ts";
import { MODEL_PARAMETERS } from "../engine/model-defaults.ts";
import { importGguf } from "../distribution/packaging/package-model.ts";
import type { ModelStore } from "../store/model-store.ts";
import { HttpError } from "./errors.ts";
import { sendJson, type RequestContext, type Router } from "./router.ts";

const DIGEST = /^sha256[:-]([a-f0-9]{64})$/;

function digestParam(raw: string): string {
  const m = DIGEST.exec(raw);
  if (!m) throw new ValidationError(`digest must be sha256:<64 hex digits> (got ${JSON.stringify(raw)})`);
  return `sha256:${m[1]}`;
}

async function uploadBlob(ctx: RequestContext, store: ModelStore): Promise<void> {
  const digest = digestParam(ctx.params.digest!);
  await store.blobs.init();
  if (await store.blobs.has(digest)) {
    ctx.req.resume();
    return void ctx.res.writeHead(200).end();
  }
  // Written next to the blobs (same filesystem: the commit is a rename), hashed on the way.
  const temp = `${store.blobs.path(digest)}.upload-${randomBytes(6).toString("hex")}`;
  const hash = createHash("sha256");
  try {
    await pipeline(
      ctx.req,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(temp, { flags: "wx" }),
    );
    const actual = `sha256:${hash.digest("hex")}`;
    if (actual !== digest)
      throw new HttpError(
        400,
        `the uploaded bytes hash to ${actual}, not ${digest}`,
        "invalid_request_error",
        "digest_mismatch",
      );
    await store.blobs.commit(temp, digest, actual);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  ctx.res.writeHead(201).end();
}

const createShape = v.object({
  model: v.optional(v.string({ min: 1 })),
  name: v.optional(v.string({ min: 1 })),
  files: v.optional(v.record(v.string())),
  template: v.optional(v.string()),
  system: v.optional(v.string()),
  parameters: v.optional(v.record(v.json())),
  from: v.optional(v.string()),
  license: v.optional(v.json()),
  stream: v.optional(v.boolean()),
  quantize: v.optional(v.string()),
  adapters: v.optional(v.record(v.string())),
});

/**
 * The parameters a created model keeps as its defaults: the ones the engine applies, each of its type.
 * Any other is refused by name rather than kept and silently ignored.
 */
function createParameters(input: Record<string, unknown>): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    if (!(name in MODEL_PARAMETERS))
      throw new ValidationError(
        `parameters.${name} is not supported here (supported: ${Object.keys(MODEL_PARAMETERS).join(", ")})`,
      );
    const ok =
      name === "stop"
        ? typeof value === "string" || (Array.isArray(value) && value.every((x) => typeof x === "string"))
        : typeof value === "number" && Number.isFinite(value);
    if (!ok)
      throw new ValidationError(
        `parameters.${name} must be ${name === "stop" ? "a string or a list of strings" : "a number"}`,
      );
    out[name] = value;
  }
  return Object.keys(out).length ? out : null;
}

async function createModel(ctx: RequestContext, store: ModelStore): Promise<void> {
  const b = createShape(await ctx.json(), "");
  const ref = b.model ?? b.name;
  if (!ref) throw new ValidationError("model is required");
  for (const field of ["from", "quantize", "adapters"] as const)
    if (b[field] !== undefined)
      throw new ValidationError(
        `${field} is not supported by /api/create here: create from an uploaded GGUF (files) with an optional Jinja template, system prompt and parameters`,
      );
  const params = b.parameters === undefined ? null : createParameters(b.parameters);
  const ggufs = Object.entries(b.files ?? {}).filter(([name]) => name.toLowerCase().endsWith(".gguf"));
  if (ggufs.length !== 1)
    throw new ValidationError('files must name exactly one uploaded .gguf blob ({"model.gguf": "sha256:…"})');
  const digest = digestParam(ggufs[0]![1]);
  if (!(await store.blobs.has(digest)))
    throw new HttpError(400, `blob ${digest} is not uploaded: POST it to /api/blobs/${digest} first`);
  // Ollama templates are Go templates; Hangar renders Jinja (the GGUF's own template when none is given).
  if (b.template !== undefined && /\{\{-?\s*\.\w/.test(b.template))
    throw new ValidationError(
      "template looks like an Ollama Go template; Hangar needs a Jinja chat template",
    );
  const stream = b.stream !== false;
  const dir = await mkdtemp(join(tmpdir(), "hangar-create-"));
  try {
    let chatTemplate: string | null = null;
    if (b.template) {
      chatTemplate = join(dir, "chat_template.jinja");
      await writeFile(chatTemplate, b.template);
    }
    await importGguf(store, store.blobs.path(digest), ref, {
      chatTemplate,
      systemPrompt: b.system || null,
      params,
      source: "local",
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  if (!stream) return sendJson(ctx.res, 200, { status: "success" });
  ctx.res.writeHead(200, { "content-type": "application/x-ndjson" });
  for (const status of ["using existing layer " + digest, "writing manifest", "success"])
    ctx.res.write(JSON.stringify({ status }) + "\n");
  ctx.res.end();
}

export function addOllamaCreateRoutes(router: Router, store: ModelStore): void {
  const manage = { errors: "ollama" as const, management: true };
  router
    .add(
      "HEAD",
      "/api/blobs/:digest",
      async (ctx) => {
        ctx.res.writeHead((await store.blobs.has(digestParam(ctx.params.digest!))) ? 200 : 404).end();
      },
      manage,
    )
    .add("POST", "/api/blobs/:digest", (ctx) => uploadBlob(ctx, store), manage)
    .add("POST", "/api/create", (ctx) => createModel(ctx, store), manage);
}
