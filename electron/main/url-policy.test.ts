import { test } from "node:test";
import assert from "node:assert/strict";
import { isAppFrameUrl, isSafeExternalUrl } from "./url-policy.ts";

test("only https URLs open externally", () => {
  assert.equal(isSafeExternalUrl("https://huggingface.co/Qwen"), true);
  for (const url of [
    "http://example.com",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "smb://host/share",
    "nonsense",
  ])
    assert.equal(isSafeExternalUrl(url), false, url);
});

test("IPC is accepted from the app's own page only", () => {
  const app = "file:///opt/Hangar/resources/app.asar/dist/renderer/index.html";
  assert.equal(isAppFrameUrl(app, app), true);
  assert.equal(isAppFrameUrl(`${app}#/models`, app), true);
  assert.equal(isAppFrameUrl("file:///tmp/evil/index.html", app), false);
  assert.equal(isAppFrameUrl("https://example.com/dist/renderer/index.html", app), false);
  assert.equal(isAppFrameUrl(undefined, app), false);
  assert.equal(isAppFrameUrl("not a url", app), false);
});
