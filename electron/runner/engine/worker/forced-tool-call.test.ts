// How the forcing wrapper opens a response, per kind of chat wrapper (no model needed to render).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ChatMLChatWrapper,
  FunctionaryChatWrapper,
  HarmonyChatWrapper,
  LlamaText,
  type ChatWrapper,
  type ChatWrapperGenerateContextStateOptions,
} from "node-llama-cpp";
import { forcingFunctionCall } from "./forced-tool-call.ts";

const options: ChatWrapperGenerateContextStateOptions = {
  chatHistory: [
    { type: "user", text: "weather in Oslo?" },
    { type: "model", response: [] },
  ],
  availableFunctions: { get_weather: { description: "Weather", params: { type: "object", properties: {} } } },
  documentFunctionParams: true,
};

function render(wrapper: ChatWrapper) {
  return {
    plain: wrapper.generateContextState(options),
    forced: forcingFunctionCall(wrapper).generateContextState(options),
  };
}

test("a wrapper that lets the model choose now opens the response with its function-call prefix", () => {
  const wrapper = new ChatMLChatWrapper();
  const { plain, forced } = render(wrapper);
  assert.equal(forced.contextText.toString(), plain.contextText.toString(), "the prompt is unchanged");
  assert.equal(forced.noPrefixTrigger?.type, "functionCall");
  assert.equal(forced.prefixTriggers, undefined, "no way into a text response");
  const forcedWrapper = forcingFunctionCall(wrapper);
  assert.equal(forcedWrapper.settings, wrapper.settings, "the call syntax is the wrapper's own");
  assert.equal(forcedWrapper.wrapperName, wrapper.wrapperName);
});

test("a template that marks calls with a channel puts that channel first (Harmony)", () => {
  const { plain, forced } = render(new HarmonyChatWrapper());
  const callTrigger = plain.prefixTriggers?.find((t) => t.type === "functionCall");
  assert.ok(callTrigger?.inject, "Harmony's own call trigger injects a channel");
  assert.equal(forced.noPrefixTrigger?.type, "functionCall");
  assert.equal(LlamaText(forced.noPrefixTrigger.inject).toString(), LlamaText(callTrigger.inject).toString());
});

test("a response that starts in function-calling mode can no longer leave it (Functionary)", () => {
  const { plain, forced } = render(new FunctionaryChatWrapper());
  assert.equal(plain.functionCall?.initiallyEngaged, true);
  assert.ok((plain.functionCall?.disengageInitiallyEngaged.length ?? 0) > 0);
  assert.deepEqual(forced.functionCall, { initiallyEngaged: true, disengageInitiallyEngaged: [] });
});
