import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getLlama, LlamaCompletion, LlamaLogLevel } from "node-llama-cpp";
import { SCRIPTED_ANSWER, SCRIPTED_THOUGHT, writeScriptedModel } from "./scripted-model.ts";

const PROMPT = "<|im_start|>user\nWho are you?<|im_end|>\n<|im_start|>assistant\n";

test("the scripted model loads and its output is the script, sampled greedily or not", async () => {
  const dir = await mkdtemp(join(tmpdir(), "hangar-scripted-"));
  const llama = await getLlama({ gpu: false, maxThreads: 2, logLevel: LlamaLogLevel.error });
  try {
    const modelPath = await writeScriptedModel(join(dir, "thinker.gguf"));
    const model = await llama.loadModel({ modelPath, useMmap: false });
    const context = await model.createContext({ contextSize: 256, threads: 2 });
    const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
    const script = `<think>\n${SCRIPTED_THOUGHT}\n</think>\n\n${SCRIPTED_ANSWER}`;
    for (const temperature of [0, 1]) {
      const result = await completion.generateCompletionWithMeta(PROMPT, { temperature, maxTokens: 40 });
      assert.equal(result.response, script, `temperature ${temperature}`);
      assert.equal(result.metadata.stopReason, "eogToken");
    }
    // Off the script (here: after the empty think block of a template with thinking switched off), the
    // chain resumes at the answer.
    const off = await completion.generateCompletionWithMeta(`${PROMPT}<think>\n\n</think>\n\n`, {
      temperature: 0,
      maxTokens: 40,
    });
    assert.equal(off.response, SCRIPTED_ANSWER);
    await context.dispose();
    await model.dispose();
  } finally {
    await llama.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});
