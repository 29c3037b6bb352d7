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
    "https://user:pass@example.com/",
    "https://192.168.1.1/admin",
    "https://[::1]/",
    "https://localhost/",
    "https://router.local/",
    "https://example.com:8443/",
    `https://example.com/${"a".repeat(3000)}`,
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

test("the served page may connect to its own origin only", async () => {
  const { contentSecurityPolicy } = await import("../runner/http/static-files.ts");
  const { readFile } = await import("node:fs/promises");
  const connect = (csp: string) => /connect-src ([^;]*)/.exec(csp)?.[1];
  assert.equal(connect(contentSecurityPolicy()), "'self'");
  const html = await readFile(new URL("../../renderer/index.html", import.meta.url), "utf8");
  assert.equal(connect(html), "'self'", "the app's own page too");
});
