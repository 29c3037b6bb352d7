/**
 * Chat with schemas held to their word. Before generating: integer ranges become listable, and under
 * `strict: true` a keyword the grammar cannot enforce is a 400 naming it. After: when a schema has such
 * keywords, the output (or a tool call's arguments) is checked with a real JSON Schema validator (Ajv,
 * draft 2020-12) and a reply that breaks the schema becomes a 422 naming what failed, never a silent pass.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { ValidationError } from "../../../contract/validate.ts";
import type { ChatRequest, Engine, GenerationEvent, ToolCall } from "../../engine/types.ts";
import { HttpError } from "../errors.ts";
import { describeUnenforced, prepareSchema } from "./schema-keywords.ts";

/** A chat request as the APIs parse it: schemas may say `strict`. */
export type SchemaChatRequest = ChatRequest & { strictFormat?: boolean; strictTools?: string[] };

const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });
const compiled = new Map<string, ValidateFunction>();

function validator(schema: Record<string, unknown>, where: string): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    try {
      validate = ajv.compile(schema);
    } catch (error) {
      throw new ValidationError(`${where} is not a valid JSON schema: ${(error as Error).message}`);
    }
    if (compiled.size > 200) compiled.clear();
    compiled.set(key, validate);
  }
  return validate;
}

function check(validate: ValidateFunction, value: unknown, what: string): void {
  if (validate(value)) return;
  const e = validate.errors?.[0];
  throw new HttpError(
    422,
    `${what} does not follow the schema: ${e ? `${e.instancePath || "(root)"} ${e.message} (${e.keyword})` : "invalid"}. ` +
      "The keyword is not enforced while generating; with strict: true it is refused up front.",
    "invalid_request_error",
    "schema_validation_failed",
  );
}

interface Checks {
  request: ChatRequest;
  format: ValidateFunction | null;
  tools: Map<string, ValidateFunction>;
}

function prepare(request: SchemaChatRequest): Checks {
  const { strictFormat, strictTools, ...rest } = request;
  const out: ChatRequest = { ...rest };
  let format: ValidateFunction | null = null;
  const tools = new Map<string, ValidateFunction>();
  if (rest.responseFormat?.type === "json_schema") {
    const original = rest.responseFormat.schema;
    const { schema, unenforced } = prepareSchema(original);
    if (unenforced.length && strictFormat)
      throw new ValidationError(
        `the response schema uses keywords Hangar cannot enforce while generating: ${describeUnenforced(unenforced)}. Remove them, or set strict to false to have the output validated instead.`,
      );
    // Compiled in any case: a schema that is not valid JSON Schema is refused before generating.
    const validate = validator(original, "the response schema");
    if (unenforced.length) format = validate;
    out.responseFormat = { type: "json_schema", schema };
  }
  if (rest.tools)
    out.tools = rest.tools.map((tool) => {
      if (!tool.parameters) return tool;
      const { schema, unenforced } = prepareSchema(tool.parameters);
      if (unenforced.length && strictTools?.includes(tool.name))
        throw new ValidationError(
          `tool "${tool.name}": its parameters use keywords Hangar cannot enforce while generating: ${describeUnenforced(unenforced)}. Remove them, or set strict to false to have the arguments validated instead.`,
        );
      const validate = validator(tool.parameters, `tool "${tool.name}" parameters`);
      if (unenforced.length) tools.set(tool.name, validate);
      return { ...tool, parameters: schema };
    });
  return { request: out, format, tools };
}

async function* checked(
  events: AsyncIterable<GenerationEvent>,
  checks: Checks,
): AsyncGenerator<GenerationEvent> {
  let text = "";
  for await (const event of events) {
    if (event.type === "delta") text += event.text;
    else if (event.type === "tool_calls")
      for (const call of event.calls) checkCall(call, checks.tools.get(call.name));
    else if (event.type === "done" && checks.format && event.finishReason === "stop") {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new HttpError(
          422,
          "the output is not JSON",
          "invalid_request_error",
          "schema_validation_failed",
        );
      }
      check(checks.format, value, "the output");
    }
    yield event;
  }
}

function checkCall(call: ToolCall, validate: ValidateFunction | undefined): void {
  if (!validate) return;
  check(validate, JSON.parse(call.arguments || "{}"), `the arguments of the call to "${call.name}"`);
}

/** `engine.chat` with the schema checks above; the checks that can fail up front throw before generating. */
export function checkedChat(
  engine: Engine,
  request: SchemaChatRequest,
  signal?: AbortSignal,
): AsyncIterable<GenerationEvent> {
  const checks = prepare(request);
  if (!checks.format && checks.tools.size === 0) return engine.chat(checks.request, signal);
  return checked(engine.chat(checks.request, signal), checks);
}
