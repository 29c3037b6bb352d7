import { test } from "node:test";
import assert from "node:assert/strict";
import { hubError } from "./errors.ts";

const answer = (status: number, code?: string, error = "x") =>
  new Response(JSON.stringify({ error }), {
    status,
    headers: { "Content-Type": "application/json", ...(code ? { "X-Error-Code": code } : {}) },
  });

test("the Hub's error codes decide before the status", async () => {
  // What huggingface.co answers an anonymous request for a repository that does not exist.
  const missing = await hubError(answer(401, "RepoNotFound", "Repository not found"), "repo a/b", false);
  assert.equal(missing.code, "repo_not_found");
  assert.match(missing.message, /private repositories need HF_TOKEN/);
  const gated = await hubError(answer(403, "GatedRepo"), "repo a/b", true);
  assert.equal(gated.code, "unauthorized");
  assert.match(gated.message, /gated: accept its terms/);
  assert.equal((await hubError(answer(401), "repo a/b", false)).code, "unauthorized");
  assert.equal(
    (await hubError(answer(404, "RevisionNotFound"), "repo a/b", false)).code,
    "revision_not_found",
  );
  const server = await hubError(new Response("oops", { status: 502 }), "repo a/b", false);
  assert.equal(server.code, "http_error");
  assert.match(server.message, /HTTP 502/);
});
