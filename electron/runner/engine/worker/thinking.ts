/**
 * Thinking models, inside the worker. node-llama-cpp hands a model's reasoning over as "thought"
 * segments when the chat wrapper it resolved defines one (Qwen, DeepSeek, Harmony, Seed, or a Jinja
 * template whose thought tags it finds). Thinking is switched off by opening the response with an
 * empty, closed thought (what Qwen3's template renders for `enable_thinking: false`), and a thought
 * budget of 0 closes any thought the model opens all the same.
 */
import {
  JinjaTemplateChatWrapper,
  resolveChatWrapper,
  type ChatHistoryItem,
  type ChatWrapper,
  type LlamaModel,
} from "node-llama-cpp";
import { templateMayThink } from "../thinking-template.ts";

export const wrapperThinks = (wrapper: ChatWrapper): boolean => wrapper.settings.segments?.thought != null;

/**
 * The model's chat wrapper, as LlamaChat would resolve it, except where that wrapper has no thoughts
 * and the template has: node-llama-cpp takes a template for a specialized wrapper when both render
 * the same conversations, and a ChatML template with <think> blocks renders like ChatML until the
 * model thinks. Its Jinja wrapper, which finds the template's thought tags, is used then.
 */
export function resolveModelChatWrapper(model: LlamaModel): ChatWrapper {
  const resolved = resolveChatWrapper(model);
  if (wrapperThinks(resolved)) return resolved;
  const template = model.fileInfo.metadata?.tokenizer?.chat_template;
  if (typeof template !== "string" || !templateMayThink(template)) return resolved;
  try {
    const jinja = new JinjaTemplateChatWrapper({ template, tokenizer: model.tokenizer });
    return wrapperThinks(jinja) ? jinja : resolved;
  } catch {
    return resolved;
  }
}

/**
 * The history with the response to generate opened by an empty, finished thought, so the model
 * answers straight away. A response already started (a prefix to continue) is left as it is.
 */
export function withThinkingOff(history: ChatHistoryItem[]): ChatHistoryItem[] {
  const last = history[history.length - 1];
  if (last?.type !== "model" || last.response.length > 0) return history;
  return [
    ...history.slice(0, -1),
    { type: "model", response: [{ type: "segment", segmentType: "thought", text: "", ended: true }] },
  ];
}
