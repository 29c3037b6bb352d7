/* eslint-disable no-restricted-imports -- a unit test: node:test runs it, the browser never loads it. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { settingsPatch } from "../../../../electron/contract/index.ts";
import { fieldMessage } from "./field-message.ts";

/** The contract's message for a patch, without its "settings.<name> " prefix. */
const refusal = (patch: Record<string, unknown>) => {
  try {
    settingsPatch(patch, "settings");
  } catch (e) {
    return (e as Error).message.replace(/^settings\.\w+ /, "");
  }
  throw new Error("accepted");
};

test("what was typed replaces NaN; an empty field says so", () => {
  assert.equal(
    fieldMessage("port", refusal({ port: Number.NaN }), "abc"),
    'must be an integer from 0 to 65535 (got "abc")',
  );
  assert.equal(
    fieldMessage("parallel", refusal({ parallel: Number.NaN }), "  "),
    "must be an integer from 1 to 64 (it is empty)",
  );
  assert.equal(
    fieldMessage("port", refusal({ port: 99999 }), "99999"),
    "must be an integer from 0 to 65535 (got 99999)",
    "a number the user typed stays as typed",
  );
  assert.equal(fieldMessage("host", refusal({ host: "" }), ""), "must not be empty");
});

test("the memory budget, typed in GB, is refused in GB", () => {
  assert.equal(
    fieldMessage("memoryBudgetBytes", refusal({ memoryBudgetBytes: 99999 * 1e9 }), "99999"),
    'must be from 0.07 to 17,592 GB, or empty for automatic (got "99999")',
  );
  assert.match(
    fieldMessage("memoryBudgetBytes", refusal({ memoryBudgetBytes: Number.NaN }), "lots"),
    /GB, or empty for automatic \(got "lots"\)$/,
  );
});
