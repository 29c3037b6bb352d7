/**
 * JSON schemas a request hands the engine (a response format, tool parameters) become grammars: the
 * validators bound their depth, and this bounds their size as well, before any of it reaches a worker.
 */
import { assertJsonWithin, SCHEMA_LIMITS } from "../../contract/json-bounds.ts";
import type { ChatRequest } from "../engine/types.ts";

export function assertSchemasWithinLimits(request: ChatRequest): void {
  if (request.responseFormat?.type === "json_schema")
    assertJsonWithin(request.responseFormat.schema, SCHEMA_LIMITS, "the response format's JSON schema");
  request.tools?.forEach((tool, i) =>
    assertJsonWithin(tool.parameters, SCHEMA_LIMITS, `the parameters of tool ${i} ("${tool.name}")`),
  );
}
