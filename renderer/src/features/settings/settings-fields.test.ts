/* eslint-disable no-restricted-imports -- a unit test (node:test runs it) checked against the runner's defaults. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { settingsPatch, type Settings } from "../../../../electron/contract/index.ts";
import { DEFAULT_SETTINGS } from "../../../../electron/runner/settings/settings.ts";
import { FIELDS, SECTIONS, hintOf, toDraft, toPatch } from "./settings-fields.ts";

/** The runner's defaults, with the values that need converting or show as empty. */
const settings: Settings = {
  ...DEFAULT_SETTINGS,
  corsOrigins: ["https://app.example.com"],
  memoryBudgetBytes: 8_500_000_000,
  threads: null,
  modelsDir: null,
  discoveryDisabled: ["jan"],
  discoveryFolders: ["/data/models"],
};

test("each setting has one field, in a section the screen shows", () => {
  const settingsShown = FIELDS.map((f) => f.setting);
  assert.equal(new Set(settingsShown).size, settingsShown.length);
  const sections = SECTIONS.map((s) => s.legend as string);
  for (const f of FIELDS) assert.ok(sections.includes(f.section), `${f.setting} sits in ${f.section}`);
});

test("a draft of the settings saves them unchanged, the memory budget typed in GB", () => {
  const draft = toDraft(settings);
  assert.equal(draft.memoryBudgetBytes, "8.5");
  assert.equal(draft.threads, "");
  assert.equal(draft.modelsDir, "");
  assert.equal(draft.port, String(settings.port));
  const patch = toPatch(draft);
  for (const f of FIELDS) assert.deepEqual(patch[f.setting], settings[f.setting], f.setting);
  assert.deepEqual(settingsPatch(patch, "settings"), patch, "the runner's rules accept it");
});

test("what was typed reaches the runner's rules: text that is no number is refused at its setting", () => {
  const draft = { ...toDraft(settings), port: "abc", memoryBudgetBytes: " ", modelsDir: "  /data/m " };
  const patch = toPatch(draft);
  assert.ok(Number.isNaN(patch.port));
  assert.equal(patch.memoryBudgetBytes, null, "empty is automatic");
  assert.equal(patch.modelsDir, "/data/m");
  assert.throws(() => settingsPatch(patch, "settings"), /settings\.port must be an integer/);
  assert.throws(
    () => settingsPatch(toPatch({ ...draft, port: "8080", parallel: "" }), "settings"),
    /settings\.parallel /,
    "an empty number that has no automatic value is refused too",
  );
});

test("a setting read only at start says so in its hint", () => {
  const hint = (setting: keyof Settings) => hintOf(FIELDS.find((f) => f.setting === setting)!);
  assert.match(hint("host"), /^127\.0\.0\.1 keeps .* Applies the next time Hangar starts\.$/);
  assert.equal(hint("port"), "Applies the next time Hangar starts.");
  assert.match(hint("logLevel"), /Applies the next time Hangar starts\.$/);
  assert.doesNotMatch(hint("threads"), /next time/);
  assert.equal(hint("parallel"), "");
});
