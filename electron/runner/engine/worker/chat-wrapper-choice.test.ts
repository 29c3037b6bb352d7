import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  getLlama,
  JinjaTemplateChatWrapper,
  Llama3_1ChatWrapper,
  LlamaLogLevel,
  QwenChatWrapper,
  type ChatWrapper,
  type LlamaModel,
} from "node-llama-cpp";
import { writeTinyModel } from "../../../../testkit/gguf-writer.ts";
import { writeScriptedModel } from "../../../../testkit/scripted-model.ts";
import { describeChatWrapper, rebuildChatWrapper } from "./chat-wrapper-choice.ts";
import { resolveModelChatWrapper, wrapperThinks } from "./thinking.ts";

let dir: string;
let chatml: LlamaModel;
let thinker: LlamaModel;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "hangar-wrapper-choice-"));
  const llama = await getLlama({ gpu: false, maxThreads: 1, logLevel: LlamaLogLevel.error });
  chatml = await llama.loadModel({
    modelPath: await writeTinyModel(join(dir, "chatml.gguf")),
    useMmap: false,
  });
  thinker = await llama.loadModel({
    modelPath: await writeScriptedModel(join(dir, "thinker.gguf")),
    useMmap: false,
  });
});

after(async () => {
  await chatml?.dispose();
  await thinker?.dispose();
  await rm(dir, { recursive: true, force: true });
});

const history = [
  { type: "system" as const, text: "Be kind." },
  { type: "user" as const, text: "What is a cat?" },
  { type: "model" as const, response: [] },
];
const rendered = (wrapper: ChatWrapper) =>
  JSON.stringify(wrapper.generateContextState({ chatHistory: history }).contextText);

/** The recorded choice survives the trip to the runner and back (JSON) and builds the same wrapper. */
function roundTrip(wrapper: ChatWrapper, model: LlamaModel) {
  const choice = describeChatWrapper(wrapper, model);
  assert.ok(choice, `${wrapper.wrapperName} can be recorded`);
  const rebuilt = rebuildChatWrapper(JSON.parse(JSON.stringify(choice)), model);
  assert.ok(rebuilt);
  assert.equal(rebuilt.constructor, wrapper.constructor);
  assert.equal(rendered(rebuilt), rendered(wrapper));
  return { choice, rebuilt };
}

test("a resolved ChatML wrapper is recorded by type and built again without resolving", () => {
  const { choice } = roundTrip(resolveModelChatWrapper(chatml), chatml);
  assert.deepEqual(choice, { type: "chatML", settings: {} });
});

test("a thinking model's Jinja wrapper is built again from the file's template, thoughts and all", () => {
  const resolved = resolveModelChatWrapper(thinker);
  assert.ok(resolved instanceof JinjaTemplateChatWrapper);
  const { choice, rebuilt } = roundTrip(resolved, thinker);
  assert.equal(choice.type, "jinjaTemplate");
  assert.equal(wrapperThinks(rebuilt), true);
});

test("a wrapper made with one of the settings node-llama-cpp tries is recorded with those settings", () => {
  const configurations = (
    QwenChatWrapper as unknown as { _getOptionConfigurationsToTestIfCanSupersedeJinjaTemplate(): unknown[] }
  )._getOptionConfigurationsToTestIfCanSupersedeJinjaTemplate();
  assert.ok(configurations.length > 0);
  for (const configuration of configurations) {
    const settings = (Array.isArray(configuration) ? configuration[1] : configuration) as object;
    roundTrip(new QwenChatWrapper(settings), chatml);
  }
});

test("a wrapper whose settings cannot be told is not recorded (the next load resolves it)", () => {
  const dated = new Llama3_1ChatWrapper({ cuttingKnowledgeDate: new Date(Date.UTC(2001, 0, 1)) });
  assert.equal(describeChatWrapper(dated, chatml), undefined);
});

test("a choice naming no known wrapper builds nothing", () => {
  assert.equal(rebuildChatWrapper({ type: "no-such-wrapper", settings: {} }, chatml), undefined);
  assert.equal(rebuildChatWrapper({ type: "constructor", settings: {} }, chatml), undefined);
});
