import { test } from "node:test";
import assert from "node:assert/strict";
import { prepareSchema } from "./schema-keywords.ts";

test("small integer ranges become an enum; keywords the grammar cannot enforce are named with their path", () => {
  const { schema, unenforced } = prepareSchema({
    type: "object",
    properties: {
      digit: { type: "integer", minimum: 0, maximum: 9 },
      even: { type: "integer", exclusiveMinimum: 0, maximum: 10, multipleOf: 2 },
      big: { type: "integer", minimum: 0, maximum: 1_000_000 },
      code: { type: "string", pattern: "^[a-z]+$", maxLength: 8 },
      email: { type: "string", format: "email" },
      when: { type: "string", format: "date" },
    },
    required: ["digit"],
  });
  const props = schema.properties as Record<string, Record<string, unknown>>;
  assert.deepEqual(props.digit, { type: "integer", enum: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
  assert.deepEqual(props.even!.enum, [2, 4, 6, 8, 10]);
  assert.equal(props.code!.maxLength, 8);
  assert.deepEqual(
    unenforced.map((k) => `${k.keyword} @ ${k.path}`),
    [
      "minimum @ properties.big",
      "maximum @ properties.big",
      "pattern @ properties.code",
      'format "email" @ properties.email',
    ],
  );
});

test("nested schemas ($defs, items, anyOf) are walked", () => {
  const { unenforced } = prepareSchema({
    $defs: { name: { type: "string", pattern: "x" } },
    type: "array",
    items: { anyOf: [{ $ref: "#/$defs/name" }, { type: "number", multipleOf: 0.5 }] },
    uniqueItems: true,
  });
  assert.deepEqual(
    unenforced.map((k) => `${k.keyword} @ ${k.path}`),
    ["pattern @ $defs.name", "multipleOf @ items.anyOf[1]", "uniqueItems @ (root)"],
  );
});
