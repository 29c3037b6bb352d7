import { test } from "node:test";
import assert from "node:assert/strict";
import { samplingDefaults, withModelDefaults, withSystemPrompt } from "./model-defaults.ts";

test("a params layer fills what a request leaves out, by Ollama's names; wrong types and 'no limit' are left out", () => {
  const params = {
    temperature: 0.6,
    top_k: 64,
    top_p: 0.95,
    num_predict: -1,
    stop: "<end_of_turn>",
    repeat_penalty: "high",
    mirostat: 2,
  };
  assert.deepEqual(samplingDefaults(params), {
    temperature: 0.6,
    topK: 64,
    topP: 0.95,
    stop: ["<end_of_turn>"],
  });
  assert.deepEqual(samplingDefaults({ stop: ["a", 1, "b"], num_predict: 12 }), {
    stop: ["a", "b"],
    maxTokens: 12,
  });
  assert.deepEqual(samplingDefaults(null), {});
  const request = { model: "m", prompt: "p", temperature: 0, maxTokens: undefined };
  assert.deepEqual(withModelDefaults(request, { params: { temperature: 0.9, num_predict: 7 } }), {
    model: "m",
    prompt: "p",
    temperature: 0,
    maxTokens: 7,
  });
});

test("the packaged system prompt comes first unless the request brings its own", () => {
  const user = { role: "user" as const, content: "hi" };
  assert.deepEqual(withSystemPrompt([user], { systemPrompt: "Be brief." }), [
    { role: "system", content: "Be brief." },
    user,
  ]);
  const own = [{ role: "system" as const, content: "Mine." }, user];
  assert.equal(withSystemPrompt(own, { systemPrompt: "Be brief." }), own);
  assert.deepEqual(withSystemPrompt([user], { systemPrompt: null }), [user]);
});
