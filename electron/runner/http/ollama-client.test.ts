// The Ollama API driven by the official `ollama` client against a real runner and engine.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { existsSync } from "node:fs";
import { Ollama } from "ollama";
import { REGISTRY_BINARY, startRegistry } from "../../../testkit/registry.ts";
import { startTestRunner, TINY_MODEL, type TestRunner } from "../../../testkit/runner.ts";

let t: TestRunner;
let ollama: Ollama;
before(async () => {
  // Tool documentation in the prompt takes a few hundred tokens.
  t = await startTestRunner({ contextSize: 1536 }, { model: { contextLength: 2048 } });
  ollama = new Ollama({ host: t.url });
});
after(() => t?.close());

const weather = {
  type: "function",
  function: {
    name: "weather",
    description: "Weather in a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};
const time = {
  type: "function",
  function: { name: "time", description: "Time in a city", parameters: { type: "object", properties: {} } },
};
const twoCalls = {
  role: "assistant",
  content: "",
  tool_calls: [
    { function: { name: "weather", arguments: { city: "Paris" } } },
    { function: { name: "time", arguments: {} } },
  ],
};

test("tool results by tool_name, in any order, answer the calls they name", async () => {
  const reply = await ollama.chat({
    model: TINY_MODEL,
    messages: [
      { role: "user", content: "weather and time in Paris?" },
      twoCalls,
      { role: "tool", tool_name: "time", content: "12:00" },
      { role: "tool", tool_name: "weather", content: "sunny" },
    ],
    tools: [weather, time],
    options: { num_predict: 2, temperature: 0 },
  });
  assert.equal(reply.done, true);
  assert.equal(reply.message.role, "assistant");
});

test("unnamed parallel tool results are matched to the calls in order", async () => {
  const reply = await ollama.chat({
    model: TINY_MODEL,
    messages: [
      { role: "user", content: "weather and time in Paris?" },
      twoCalls,
      { role: "tool", content: "sunny" },
      { role: "tool", content: "12:00" },
    ],
    tools: [weather, time],
    options: { num_predict: 2, temperature: 0 },
  });
  assert.equal(reply.done, true);
});

test("a result naming no open call is a 400 that says so", async () => {
  await assert.rejects(
    ollama.chat({
      model: TINY_MODEL,
      messages: [
        { role: "user", content: "hi" },
        twoCalls,
        { role: "tool", tool_name: "stock", content: "1" },
      ],
      options: { num_predict: 1 },
    }),
    (e: Error & { status_code?: number }) =>
      e.status_code === 400 && /no earlier unanswered tool call/.test(e.message),
  );
});

test("show: the GGUF's chat template and header metadata", async () => {
  const show = await ollama.show({ model: TINY_MODEL });
  assert.match(show.template, /<\|im_start\|>|\{%/, "the template from tokenizer.chat_template");
  // ollama-js types model_info as a Map; over the wire it is a plain object.
  const info = show.model_info as unknown as Record<string, unknown>;
  assert.equal(info["general.architecture"], "llama");
  assert.equal(typeof info["llama.block_count"], "number");
  assert.equal(info["tokenizer.ggml.tokens"], undefined, "long arrays are left out");
});

/** ollama-js sends `files` through (as `ollama create` does) but its 0.6 types do not list it. */
const uploaded = (files: Record<string, string>) => ({ files }) as object;

test("create from an uploaded GGUF blob: HEAD and POST /api/blobs, then /api/create with a Jinja template", async () => {
  const gguf = await readFile(join(t.home, "tiny.gguf"));
  const digest = `sha256:${createHash("sha256").update(gguf).digest("hex")}`;
  const blobUrl = `${t.url}/api/blobs/${digest}`;
  const wrong = `sha256:${"0".repeat(64)}`;
  assert.equal((await fetch(`${t.url}/api/blobs/${wrong}`, { method: "HEAD" })).status, 404);
  const mismatch = await fetch(`${t.url}/api/blobs/${wrong}`, { method: "POST", body: gguf });
  assert.equal(mismatch.status, 400);
  assert.match(((await mismatch.json()) as { error: string }).error, /hash to sha256:/);
  assert.equal((await fetch(`${t.url}/api/blobs/${wrong}`, { method: "HEAD" })).status, 404, "nothing kept");
  const upload = await fetch(blobUrl, { method: "POST", body: gguf });
  assert.ok(upload.status === 201 || upload.status === 200, String(upload.status));
  assert.equal((await fetch(blobUrl, { method: "HEAD" })).status, 200);

  const template =
    "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}<|im_start|>assistant\n";
  const created = await ollama.create({
    model: "local/created:1",
    ...uploaded({ "model.gguf": digest }),
    template,
    stream: false,
  });
  assert.equal(created.status, "success");
  const show = await ollama.show({ model: "local/created:1" });
  assert.equal(show.template, template);
  const reply = await ollama.chat({
    model: "local/created:1",
    messages: [{ role: "user", content: "hi" }],
    options: { num_predict: 2 },
  });
  assert.equal(reply.done, true);

  await assert.rejects(
    ollama.create({
      model: "local/go:1",
      ...uploaded({ "model.gguf": digest }),
      template: "{{ .Prompt }}",
      stream: false,
    }),
    /Go template/,
  );
  await assert.rejects(
    ollama.create({ model: "local/x:1", ...uploaded({ "model.gguf": wrong }), stream: false }),
    /not uploaded/,
  );
});

test("create with a system prompt and parameters: show lists them, and requests get them unless they set their own", async () => {
  const gguf = await readFile(join(t.home, "tiny.gguf"));
  const digest = `sha256:${createHash("sha256").update(gguf).digest("hex")}`;
  await fetch(`${t.url}/api/blobs/${digest}`, { method: "POST", body: gguf });
  const system = "You are a terse assistant who answers in one word, always, whatever is asked of you.";
  const created = await ollama.create({
    model: "local/with-defaults:1",
    ...uploaded({ "model.gguf": digest }),
    system,
    parameters: { num_predict: 3, temperature: 0, stop: ["never-seen-stop"] },
    stream: false,
  });
  assert.equal(created.status, "success");
  const show = await ollama.show({ model: "local/with-defaults:1" });
  assert.equal(show.system, system);
  assert.match(show.parameters, /num_predict 3/);
  assert.match(show.parameters, /stop \["never-seen-stop"\]/);

  const ask = (model: string, extra: object = {}) =>
    ollama.chat({ model, messages: [{ role: "user", content: "hello there" }], ...extra });
  // The packaged num_predict ends the reply; a request's own num_predict wins over it.
  const packaged = await ask("local/with-defaults:1");
  assert.equal(packaged.eval_count, 3);
  assert.equal(packaged.done_reason, "length");
  const own = await ask("local/with-defaults:1", { options: { num_predict: 5 } });
  assert.equal(own.eval_count, 5);
  // The packaged system prompt is in the prompt, unless the request brings a system message.
  const plain = await ask(TINY_MODEL, { options: { num_predict: 1 } });
  assert.ok(packaged.prompt_eval_count > plain.prompt_eval_count + 10, "the system prompt was added");
  const ownSystem = await ollama.chat({
    model: "local/with-defaults:1",
    messages: [
      { role: "system", content: "Hi." },
      { role: "user", content: "hello there" },
    ],
  });
  assert.ok(
    ownSystem.prompt_eval_count < packaged.prompt_eval_count,
    "the request's system message replaced it",
  );

  await assert.rejects(
    ollama.create({
      model: "local/bad-params:1",
      ...uploaded({ "model.gguf": digest }),
      parameters: { mirostat: 2 },
      stream: false,
    }),
    /parameters\.mirostat is not supported here \(supported: temperature, top_p/,
  );
  await assert.rejects(
    ollama.create({
      model: "local/bad-params:1",
      ...uploaded({ "model.gguf": digest }),
      parameters: { temperature: "hot" },
      stream: false,
    }),
    /parameters\.temperature must be a number/,
  );
});

test("push to an OCI registry (a real registry on loopback), streaming and not", async (ctx) => {
  if (!existsSync(REGISTRY_BINARY)) return ctx.skip(`${REGISTRY_BINARY} is not installed`);
  const registry = await startRegistry();
  try {
    const target = `${registry.host}/hangar/tiny:1`;
    await ollama.copy({ source: TINY_MODEL, destination: target });
    const lines: { status: string; digest?: string }[] = [];
    for await (const p of await ollama.push({ model: target, insecure: true, stream: true })) lines.push(p);
    assert.equal(lines.at(-1)?.status, "success");
    assert.ok(
      lines.some((l) => l.digest?.startsWith("sha256:")),
      JSON.stringify(lines),
    );
    const manifest = await fetch(`${registry.url}/v2/hangar/tiny/manifests/1`, {
      headers: { accept: "application/vnd.oci.image.manifest.v1+json" },
    });
    assert.equal(manifest.status, 200);
    const again = await ollama.push({ model: target, insecure: true, stream: false });
    assert.equal(again.status, "success");

    // Pulled back under another name: a bar per layer, keyed by its digest, each filled.
    await ollama.delete({ model: target });
    const layers = (
      (await manifest.json()) as { config: { digest: string }; layers: { digest: string; size: number }[] }
    ).layers;
    const pulled: { status: string; digest?: string; total?: number; completed?: number }[] = [];
    for await (const p of await ollama.pull({ model: target, insecure: true, stream: true })) pulled.push(p);
    assert.equal(pulled[0]?.status, "pulling manifest");
    assert.deepEqual(
      pulled.slice(-3).map((l) => l.status),
      ["verifying sha256 digest", "writing manifest", "success"],
    );
    for (const layer of layers) {
      const lines = pulled.filter((l) => l.digest === layer.digest);
      assert.ok(lines.length > 0, `progress for ${layer.digest}: ${JSON.stringify(pulled)}`);
      assert.equal(lines[0]!.status, `pulling ${layer.digest.slice(7, 19)}`);
      assert.ok(lines.every((l) => l.total === layer.size));
      assert.equal(lines.at(-1)!.completed, layer.size, "the layer's bar ends full");
    }
    await assert.rejects(ollama.push({ model: "absent/model:1", stream: false }), /not installed/);
  } finally {
    await registry.close();
  }
});
