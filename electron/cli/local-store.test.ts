import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { openStore } from "./local-store.ts";

test("the CLI's store: $HANGAR_HOME/models, or $HANGAR_MODELS_DIR as the runner reads it", () => {
  assert.equal(openStore({ HANGAR_HOME: "/srv/hangar" }).root, join("/srv/hangar", "models"));
  assert.equal(openStore({ HANGAR_HOME: "/srv/hangar", HANGAR_MODELS_DIR: "/models" }).root, "/models");
});
