import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getLlama, LlamaLogLevel, resolveChatWrapper } from "node-llama-cpp";
import { resolveModelChatWrapper, withThinkingOff, wrapperThinks } from "./thinking.ts";
import { templateMayThink } from "../thinking-template.ts";
import { writeScriptedModel, THINKING_TEMPLATE } from "../../../../testkit/scripted-model.ts";
import { CHATML_TEMPLATE, writeTinyModel } from "../../../../testkit/gguf-writer.ts";

test("a template with thought tags thinks; ChatML does not", () => {
  assert.equal(templateMayThink(THINKING_TEMPLATE), true);
  assert.equal(templateMayThink("{{ '[THINK]' }}{{ x }}{{ '[/THINK]' }}"), true);
  assert.equal(templateMayThink("<|start|>assistant<|channel|>analysis<|message|>"), true);
  assert.equal(templateMayThink(CHATML_TEMPLATE), false);
  assert.equal(templateMayThink("<think> without its end"), false);
  assert.equal(templateMayThink(null), false);
});

test("the scripted model gets a wrapper with thoughts where node-llama-cpp would take it for ChatML", async () => {
  const dir = await mkdtemp(join(tmpdir(), "hangar-thinking-"));
  const llama = await getLlama({ gpu: false, maxThreads: 2, logLevel: LlamaLogLevel.error });
  try {
    const thinker = await llama.loadModel({ modelPath: await writeScriptedModel(join(dir, "thinker.gguf")) });
    // node-llama-cpp alone: ChatML renders the same conversations, and knows no thoughts.
    assert.equal(wrapperThinks(resolveChatWrapper(thinker)), false);
    const wrapper = resolveModelChatWrapper(thinker);
    assert.equal(wrapper.wrapperName, "JinjaTemplate");
    assert.equal(wrapperThinks(wrapper), true);
    const tiny = await llama.loadModel({
      modelPath: await writeTinyModel(join(dir, "tiny.gguf"), { seed: 2 }),
    });
    assert.equal(wrapperThinks(resolveModelChatWrapper(tiny)), false);
  } finally {
    await llama.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});

test("thinking off opens a new response with an empty thought and leaves a started one alone", () => {
  const user = { type: "user" as const, text: "hi" };
  assert.deepEqual(withThinkingOff([user, { type: "model", response: [] }]), [
    user,
    { type: "model", response: [{ type: "segment", segmentType: "thought", text: "", ended: true }] },
  ]);
  const started = [user, { type: "model" as const, response: ["Hel"] }];
  assert.equal(withThinkingOff(started), started);
});
