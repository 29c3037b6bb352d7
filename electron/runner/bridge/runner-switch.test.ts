import { test } from "node:test";
import assert from "node:assert/strict";
import { connectionLabel } from "../../contract/connection.ts";
import { bridgeUrl } from "./runner-switch.ts";

test("the status bar and tray name the runner: this computer, or the remote runner's host", () => {
  assert.equal(connectionLabel({ kind: "local" }), "this computer");
  assert.equal(
    connectionLabel({ kind: "remote", url: "https://gpu-box:11987", state: "open", hasKey: true }),
    "gpu-box:11987",
  );
});

test("a runner URL as typed becomes its bridge socket; other schemes are refused", () => {
  assert.equal(bridgeUrl("http://gpu-box:11987/"), "ws://gpu-box:11987/bridge");
  assert.equal(bridgeUrl("https://hangar.example.com"), "wss://hangar.example.com/bridge");
  assert.throws(() => bridgeUrl("gpu-box:11987"), /must start with http/);
  assert.throws(() => bridgeUrl("not a url"), /is not a URL/);
});
