// The Ollama-compatible API against a real runner, store and engine, shaped as Ollama's clients expect.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startTestRunner, TINY_MODEL, type TestRunner } from "../../../testkit/runner.ts";

let t: TestRunner;
before(async () => {
  t = await startTestRunner();
});
after(() => t?.close());

const post = (path: string, body: unknown, method = "POST") =>
  fetch(`${t.url}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

function ndjson(text: string): Record<string, unknown>[] {
  assert.ok(text.endsWith("\n"), "every line ends with a newline");
  return text
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

test("version, tags and show", async () => {
  const version = (await (await fetch(`${t.url}/api/version`)).json()) as { version: string };
  assert.match(version.version, /^\d+\.\d+\.\d+/);
  const tags = (await (await fetch(`${t.url}/api/tags`)).json()) as { models: Record<string, unknown>[] };
  assert.equal(tags.models.length, 1);
  const m = tags.models[0]!;
  assert.equal(m.name, TINY_MODEL);
  assert.match(String(m.digest), /^[a-f0-9]{64}$/);
  assert.ok(Number(m.size) > 0);
  assert.deepEqual((m.details as Record<string, unknown>).family, "llama");
  const show = (await (await post("/api/show", { model: TINY_MODEL })).json()) as Record<string, unknown>;
  assert.equal((show.details as Record<string, unknown>).format, "gguf");
  assert.equal((show.model_info as Record<string, unknown>)["general.architecture"], "llama");
  const missing = await post("/api/show", { model: "nobody/nothing:1" });
  assert.equal(missing.status, 404);
  assert.match(((await missing.json()) as { error: string }).error, /not installed/);
});

test("chat streams NDJSON and ends with done and timings; non-streaming gives one object", async () => {
  const res = await post("/api/chat", {
    model: TINY_MODEL,
    messages: [{ role: "user", content: "hello" }],
    options: { temperature: 0, num_predict: 5, seed: 3 },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/x-ndjson");
  const lines = ndjson(await res.text());
  const last = lines.at(-1)!;
  assert.equal(last.done, true);
  assert.equal(last.done_reason, "length");
  assert.equal(last.eval_count, 5);
  assert.ok(Number(last.prompt_eval_count) > 0);
  assert.ok(Number(last.total_duration) > 0);
  for (const l of lines.slice(0, -1)) {
    assert.equal(l.done, false);
    assert.equal(l.model, TINY_MODEL);
    assert.equal((l.message as { role: string }).role, "assistant");
    assert.ok(!Number.isNaN(Date.parse(String(l.created_at))));
  }
  const streamed = lines.map((l) => (l.message as { content: string }).content).join("");

  const whole = (await (
    await post("/api/chat", {
      model: TINY_MODEL,
      messages: [{ role: "user", content: "hello" }],
      stream: false,
      options: { temperature: 0, num_predict: 5, seed: 3 },
    })
  ).json()) as { message: { content: string }; done: boolean };
  assert.equal(whole.done, true);
  assert.equal(whole.message.content, streamed);
});

test("generate, streaming and not, and format json", async () => {
  const lines = ndjson(
    await (
      await post("/api/generate", { model: TINY_MODEL, prompt: "hello", options: { num_predict: 3 } })
    ).text(),
  );
  assert.equal(lines.at(-1)!.done, true);
  assert.ok(lines.slice(0, -1).every((l) => typeof l.response === "string"));
  const raw = (await (
    await post("/api/generate", {
      model: TINY_MODEL,
      prompt: "the model",
      raw: true,
      stream: false,
      options: { num_predict: 3 },
    })
  ).json()) as { response: string; done: boolean; eval_count: number };
  assert.equal(raw.done, true);
  assert.ok(raw.eval_count > 0 && raw.eval_count <= 3);
  const json = (await (
    await post("/api/generate", {
      model: TINY_MODEL,
      prompt: "hello",
      format: "json",
      stream: false,
      options: { temperature: 0, num_predict: 40 },
    })
  ).json()) as { response: string };
  assert.equal(typeof JSON.parse(json.response), "object");
});

test("embed and the legacy embeddings endpoint", async () => {
  const embed = (await (
    await post("/api/embed", { model: TINY_MODEL, input: ["hello", "world"] })
  ).json()) as {
    embeddings: number[][];
    prompt_eval_count: number;
  };
  assert.equal(embed.embeddings.length, 2);
  assert.ok(embed.embeddings[0]!.length > 0);
  const legacy = (await (await post("/api/embeddings", { model: TINY_MODEL, prompt: "hello" })).json()) as {
    embedding: number[];
  };
  assert.equal(legacy.embedding.length, embed.embeddings[0]!.length);
});

test("ps lists loaded models; an empty chat with keep_alive 0 unloads", async () => {
  const ps = (await (await fetch(`${t.url}/api/ps`)).json()) as { models: Record<string, unknown>[] };
  assert.equal(ps.models.length, 1);
  assert.equal(ps.models[0]!.name, TINY_MODEL);
  assert.ok(Number(ps.models[0]!.size) > 0);
  assert.ok(!Number.isNaN(Date.parse(String(ps.models[0]!.expires_at))));
  const unload = (await (await post("/api/generate", { model: TINY_MODEL, keep_alive: 0 })).json()) as {
    done_reason: string;
  };
  assert.equal(unload.done_reason, "unload");
  assert.deepEqual(t.runner.engine.loaded(), []);
});

test("copy and delete", async () => {
  assert.equal((await post("/api/copy", { source: TINY_MODEL, destination: "local/copy:2" })).status, 200);
  let tags = (await (await fetch(`${t.url}/api/tags`)).json()) as { models: { name: string }[] };
  assert.deepEqual(tags.models.map((m) => m.name).sort(), ["local/copy:2", TINY_MODEL].sort());
  assert.equal((await post("/api/delete", { model: "local/copy:2" }, "DELETE")).status, 200);
  tags = (await (await fetch(`${t.url}/api/tags`)).json()) as { models: { name: string }[] };
  assert.deepEqual(
    tags.models.map((m) => m.name),
    [TINY_MODEL],
  );
  const again = await post("/api/delete", { model: "local/copy:2" }, "DELETE");
  assert.equal(again.status, 404);
});

test("pull streams progress lines and reports a failure as an error line", async () => {
  // Nothing listens on port 9: the registry is unreachable, which the stream reports and ends.
  const res = await post("/api/pull", { model: "127.0.0.1:9/nobody/nothing:1" });
  assert.equal(res.status, 200);
  const lines = ndjson(await res.text());
  assert.equal(lines[0]!.status, "pulling manifest");
  assert.equal(typeof lines.at(-1)!.error, "string");
});
