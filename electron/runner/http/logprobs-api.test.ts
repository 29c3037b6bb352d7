// Token log probabilities through the OpenAI and Ollama clients, against a runner on a generated model.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { Ollama, type Logprob } from "ollama";
import { startTestRunner, TINY_MODEL, type TestRunner } from "../../../testkit/runner.ts";
import {
  importScriptedModel,
  SCRIPTED_ANSWER,
  SCRIPTED_THOUGHT,
  THINKER_MODEL,
} from "../../../testkit/scripted-model.ts";

let t: TestRunner;
let client: OpenAI;
let ollama: Ollama;
before(async () => {
  // Valid UTF-8 output: every token's text stands on its own, so the tokens add up to the text.
  t = await startTestRunner({}, { model: { validUtf8Output: true } });
  client = new OpenAI({ baseURL: `${t.url}/v1`, apiKey: "unused", maxRetries: 0 });
  ollama = new Ollama({ host: t.url });
  await importScriptedModel(t.library, t.home);
});
after(() => t?.close());

const messages = [{ role: "user" as const, content: "Tell me about the sea" }];

/** A chat at temperature 0 with logprobs, not streamed; `extra` goes over these parameters. */
const greedyChat = (extra: Partial<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming> = {}) =>
  client.chat.completions.create({
    model: TINY_MODEL,
    messages,
    max_tokens: 8,
    temperature: 0,
    logprobs: true,
    ...extra,
    stream: false,
  });

interface Entry {
  token: string;
  logprob: number;
  bytes: number[] | null;
  top_logprobs: { token: string; logprob: number; bytes: number[] | null }[];
}

/** What holds for every token at temperature 0: the chosen token is the most likely one. */
function checkGreedyEntries(entries: Entry[], top: number): void {
  assert.ok(entries.length > 0);
  for (const e of entries) {
    assert.ok(e.logprob <= 0, `logprob ${e.logprob} of ${JSON.stringify(e.token)}`);
    assert.deepEqual(e.bytes, [...Buffer.from(e.token)]);
    assert.equal(e.top_logprobs.length, top);
    for (let i = 1; i < e.top_logprobs.length; i++)
      assert.ok(e.top_logprobs[i - 1]!.logprob >= e.top_logprobs[i]!.logprob, "top list sorted");
    if (top > 0) {
      const best = e.top_logprobs[0]!;
      assert.ok(Math.abs(e.logprob - best.logprob) < 1e-6, `${e.logprob} is the best (${best.logprob})`);
      assert.ok(e.top_logprobs.some((alt) => alt.token === e.token && alt.logprob === e.logprob));
    }
  }
}

test("chat: logprobs with top_logprobs give each token, its log probability and the most likely ones", async () => {
  const res = await greedyChat({ max_tokens: 12, top_logprobs: 3 });
  const choice = res.choices[0]!;
  const content = choice.logprobs?.content as Entry[];
  checkGreedyEntries(content, 3);
  assert.equal(content.map((e) => e.token).join(""), choice.message.content);
  assert.equal(content.length, res.usage?.completion_tokens);
  assert.equal(choice.logprobs?.refusal, null);

  // The same request streamed: the same tokens and values, each chunk carrying its own.
  const stream = await client.chat.completions.create({
    model: TINY_MODEL,
    messages,
    max_tokens: 12,
    temperature: 0,
    logprobs: true,
    top_logprobs: 3,
    stream: true,
  });
  let text = "";
  const streamed: Entry[] = [];
  for await (const chunk of stream) {
    const c = chunk.choices[0]!;
    text += c.delta.content ?? "";
    streamed.push(...((c.logprobs?.content ?? []) as Entry[]));
  }
  assert.equal(text, choice.message.content);
  assert.deepEqual(streamed, content);
});

test("chat: logprobs alone give the chosen tokens without alternatives; without it, null", async () => {
  const res = await greedyChat({ max_tokens: 5 });
  const content = res.choices[0]!.logprobs?.content as Entry[];
  checkGreedyEntries(content, 0);
  const plain = await client.chat.completions.create({ model: TINY_MODEL, messages, max_tokens: 2 });
  assert.equal(plain.choices[0]!.logprobs, null);
});

test("chat: log probabilities do not depend on the temperature, and stop sequences still apply", async () => {
  const greedy = await greedyChat({ top_logprobs: 20 });
  const greedyContent = greedy.choices[0]!.logprobs?.content as Entry[];
  checkGreedyEntries(greedyContent, 20);
  // The model's own distribution, before sampling: at temperature 1.5 the first position reads the same.
  const hot = await greedyChat({ max_tokens: 1, temperature: 1.5, seed: 7, top_logprobs: 20 });
  const first = (hot.choices[0]!.logprobs?.content as Entry[])[0]!;
  assert.deepEqual(
    first.top_logprobs.map((a) => a.token),
    greedyContent[0]!.top_logprobs.map((a) => a.token),
  );
  // A stop sequence cuts the text: the tokens still add up to what was returned.
  const stopAt = greedy.choices[0]!.message.content!.slice(3, 5);
  const stopped = await greedyChat({ stop: [stopAt] });
  const c = stopped.choices[0]!;
  assert.equal(c.finish_reason, "stop");
  assert.equal((c.logprobs?.content as Entry[]).map((e) => e.token).join(""), c.message.content);
});

test("chat: logprobs hold under a JSON grammar and for requests decoded together", async () => {
  const json = await greedyChat({
    max_tokens: 12,
    response_format: { type: "json_object" },
    top_logprobs: 2,
  });
  const content = json.choices[0]!.logprobs?.content as Entry[];
  assert.ok(content.length > 0);
  assert.equal(content.map((e) => e.token).join(""), json.choices[0]!.message.content);
  assert.match(json.choices[0]!.message.content!, /^\s*[{[]/);
  // The grammar picks among what the model would say: the chosen token need not be its first choice,
  // and is never more likely than it.
  for (const e of content) {
    assert.equal(e.top_logprobs.length, 2);
    assert.ok(e.logprob <= e.top_logprobs[0]!.logprob + 1e-9);
  }

  // Two requests at once share decode batches; each reads its own position's distribution.
  const ask = (content: string) => greedyChat({ messages: [{ role: "user", content }], top_logprobs: 3 });
  const alone = [await ask("one"), await ask("two words")];
  const together = await Promise.all([ask("one"), ask("two words")]);
  together.forEach((res, i) => {
    const got = res.choices[0]!.logprobs?.content as Entry[];
    const want = alone[i]!.choices[0]!.logprobs?.content as Entry[];
    assert.deepEqual(
      got.map((e) => e.token),
      want.map((e) => e.token),
    );
    got.forEach((e, j) => assert.ok(Math.abs(e.logprob - want[j]!.logprob) < 1e-3));
    checkGreedyEntries(got, 3);
  });
});

test("completions: logprobs N gives tokens, their log probabilities, the top N and text offsets", async () => {
  const res = await client.completions.create({
    model: TINY_MODEL,
    prompt: "The sea is",
    max_tokens: 10,
    temperature: 0,
    logprobs: 2,
  });
  const choice = res.choices[0]!;
  const lp = choice.logprobs!;
  assert.equal(lp.tokens!.join(""), choice.text);
  assert.equal(lp.tokens!.length, res.usage?.completion_tokens);
  let offset = 0;
  lp.tokens!.forEach((token, i) => {
    assert.equal(lp.text_offset![i], offset);
    offset += token.length;
    const logprob = lp.token_logprobs![i]!;
    assert.ok(logprob <= 0);
    const top = Object.values(lp.top_logprobs![i]!);
    // The top two, the chosen token among them at temperature 0.
    assert.equal(top.length, 2);
    assert.equal(lp.top_logprobs![i]![token], logprob);
    assert.ok(Math.abs(Math.max(...top) - logprob) < 1e-6);
  });

  const stream = await client.completions.create({
    model: TINY_MODEL,
    prompt: "The sea is",
    max_tokens: 10,
    temperature: 0,
    logprobs: 2,
    stream: true,
  });
  const tokens: string[] = [];
  const offsets: number[] = [];
  for await (const chunk of stream) {
    const l = chunk.choices[0]?.logprobs;
    if (l) {
      tokens.push(...l.tokens!);
      offsets.push(...l.text_offset!);
    }
  }
  assert.deepEqual(tokens, lp.tokens);
  assert.deepEqual(offsets, lp.text_offset);
});

test("out-of-range and conflicting logprobs requests are 400s naming the field and its range", async () => {
  const refused = async (request: Promise<unknown>, pattern: RegExp) =>
    assert.rejects(request, (e: unknown) => e instanceof OpenAI.BadRequestError && pattern.test(e.message));
  const chat = { model: TINY_MODEL, messages, max_tokens: 2 };
  await refused(
    client.chat.completions.create({ ...chat, logprobs: true, top_logprobs: 21 }),
    /top_logprobs must be an integer from 0 to 20/,
  );
  await refused(
    client.chat.completions.create({ ...chat, logprobs: true, top_logprobs: -1 }),
    /top_logprobs must be an integer from 0 to 20/,
  );
  await refused(
    client.chat.completions.create({ ...chat, top_logprobs: 2 }),
    /top_logprobs needs logprobs: true/,
  );
  const completion = { model: TINY_MODEL, prompt: "x", max_tokens: 2 };
  await refused(
    client.completions.create({ ...completion, logprobs: 6 }),
    /logprobs must be an integer from 0 to 5/,
  );
  await refused(client.completions.create({ ...completion, logprobs: 1, echo: true }), /echo with logprobs/);
});

/** Ollama's entries in the OpenAI shape, to hold them to the same checks. */
const asEntries = (list: Logprob[]): Entry[] =>
  list.map((l) => ({
    token: l.token,
    logprob: l.logprob,
    bytes: (l as { bytes?: number[] }).bytes ?? [],
    top_logprobs: (l.top_logprobs ?? []).map((a) => ({
      ...a,
      bytes: (a as { bytes?: number[] }).bytes ?? [],
    })),
  }));

test("ollama chat and generate: logprobs with top_logprobs, whole and streamed", async () => {
  const options = { temperature: 0, num_predict: 8 };
  const res = await ollama.chat({ model: TINY_MODEL, messages, options, logprobs: true, top_logprobs: 4 });
  const entries = asEntries(res.logprobs ?? []);
  checkGreedyEntries(entries, 4);
  assert.equal(entries.map((e) => e.token).join(""), res.message.content);
  assert.equal(entries.length, res.eval_count);

  const streamed: Entry[] = [];
  let text = "";
  const stream = await ollama.chat({
    model: TINY_MODEL,
    messages,
    options,
    logprobs: true,
    top_logprobs: 4,
    stream: true,
  });
  for await (const part of stream) {
    text += part.message.content;
    streamed.push(...asEntries(part.logprobs ?? []));
  }
  assert.equal(text, res.message.content);
  assert.deepEqual(streamed, entries);

  // Generate, raw too (no chat template: the completion path); logprobs alone have no top_logprobs.
  for (const raw of [false, true]) {
    const gen = await ollama.generate({ model: TINY_MODEL, prompt: "The sea", raw, options, logprobs: true });
    assert.ok(gen.logprobs?.length, `raw ${raw}`);
    assert.ok(gen.logprobs.every((l) => l.logprob <= 0 && l.top_logprobs === undefined));
    assert.equal(gen.logprobs.map((l) => l.token).join(""), gen.response);
  }
  const plain = await ollama.generate({ model: TINY_MODEL, prompt: "The sea", options });
  assert.equal(plain.logprobs, undefined);
});

test("ollama: top_logprobs out of range or without logprobs is a 400 naming it", async () => {
  const ask = (body: Record<string, unknown>) =>
    fetch(`${t.url}/api/chat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: TINY_MODEL, messages, stream: false, ...body }),
    });
  const over = await ask({ logprobs: true, top_logprobs: 21 });
  assert.equal(over.status, 400);
  assert.match(
    ((await over.json()) as { error: string }).error,
    /top_logprobs must be an integer from 0 to 20/,
  );
  const alone = await ask({ top_logprobs: 3 });
  assert.equal(alone.status, 400);
  assert.match(((await alone.json()) as { error: string }).error, /top_logprobs needs logprobs: true/);
});

test("responses: include message.output_text.logprobs with top_logprobs, whole and streamed", async () => {
  const ask = { model: TINY_MODEL, input: "Tell me about the sea", max_output_tokens: 8, temperature: 0 };
  // The SDK's create parameters do not list top_logprobs yet (its Response echoes it): sent as extra body.
  const top = (n: number) => ({ top_logprobs: n }) as object;
  const res = await client.responses.create({
    ...ask,
    include: ["message.output_text.logprobs"],
    ...top(2),
  });
  const part = (res.output[0] as OpenAI.Responses.ResponseOutputMessage)
    .content[0] as OpenAI.Responses.ResponseOutputText;
  checkGreedyEntries(part.logprobs as Entry[], 2);
  assert.equal(part.logprobs!.map((l) => l.token).join(""), res.output_text);

  const streamed: string[] = [];
  let done: unknown[] = [];
  const stream = await client.responses.create({
    ...ask,
    include: ["message.output_text.logprobs"],
    ...top(2),
    stream: true,
  });
  for await (const event of stream) {
    if (event.type === "response.output_text.delta") streamed.push(...event.logprobs.map((l) => l.token));
    if (event.type === "response.output_text.done") done = event.logprobs;
  }
  assert.deepEqual(
    streamed,
    part.logprobs!.map((l) => l.token),
  );
  assert.deepEqual(done, part.logprobs);

  // Not asked for: an empty list, as OpenAI sends; out of range: a 400 naming the field.
  const plain = await client.responses.create(ask);
  assert.deepEqual(
    (
      (plain.output[0] as OpenAI.Responses.ResponseOutputMessage)
        .content[0] as OpenAI.Responses.ResponseOutputText
    ).logprobs,
    [],
  );
  await assert.rejects(
    client.responses.create({ ...ask, ...top(21) }),
    (e: unknown) =>
      e instanceof OpenAI.BadRequestError && /top_logprobs must be an integer from 0 to 20/.test(e.message),
  );
});

test("a thinking model's reasoning has no logprobs: the reply's tokens have their own", async () => {
  // Only the reply ("Hello!") has entries, each with its own position's values (the scripted model's
  // first choice is the token it writes); token-logprobs.test.ts covers a reply repeating a thought token.
  const res = await greedyChat({
    model: THINKER_MODEL,
    messages: [{ role: "user", content: "Hello?" }],
    max_tokens: 40,
    top_logprobs: 2,
  });
  const message = res.choices[0]!.message as { content: string; reasoning_content?: string };
  assert.equal(message.reasoning_content, SCRIPTED_THOUGHT);
  assert.equal(message.content, SCRIPTED_ANSWER);
  const content = res.choices[0]!.logprobs?.content as Entry[];
  assert.equal(content.map((e) => e.token).join(""), SCRIPTED_ANSWER);
  checkGreedyEntries(content, 2);
});

test("a stream with logprobs closed early frees its request; the next one is answered", async () => {
  const controller = new AbortController();
  const stream = await client.chat.completions.create(
    { model: TINY_MODEL, messages, max_tokens: 200, logprobs: true, top_logprobs: 20, stream: true },
    { signal: controller.signal },
  );
  let chunks = 0;
  for await (const chunk of stream) {
    if (chunk.choices[0]?.logprobs && ++chunks === 2) break;
  }
  controller.abort();
  const next = await greedyChat({ max_tokens: 3, top_logprobs: 1 });
  checkGreedyEntries(next.choices[0]!.logprobs?.content as Entry[], 1);
});
