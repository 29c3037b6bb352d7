/**
 * A model's chat wrapper, remembered between loads. Resolving it ("auto") renders the model's Jinja
 * template against every specialized wrapper node-llama-cpp knows: 200–300 ms of one core on a cold
 * load, every time the model loads again. The first load records what it chose (a wrapper type and
 * the settings it was made with, when that rebuilds a wrapper rendering exactly the same prompts); the
 * runner keeps that and hands it to the next load of the same file, which builds the wrapper directly.
 */
import {
  chatWrappers,
  JinjaTemplateChatWrapper,
  type ChatHistoryItem,
  type ChatModelFunctions,
  type ChatWrapper,
  type LlamaModel,
} from "node-llama-cpp";

/** How to build the wrapper again: a key of node-llama-cpp's `chatWrappers` and its settings. */
export interface ChatWrapperChoice {
  type: string;
  settings: Record<string, unknown>;
}

type WrapperClass = (new (settings?: Record<string, unknown>) => ChatWrapper) & {
  _getOptionConfigurationsToTestIfCanSupersedeJinjaTemplate?: () => unknown[];
};

const SAMPLE_FUNCTIONS: ChatModelFunctions = {
  lookup: {
    description: "Looks a word up",
    params: { type: "object", properties: { word: { type: "string" } } },
  },
};
const SAMPLE_HISTORY: ChatHistoryItem[] = [
  { type: "system", text: "You are brief." },
  { type: "user", text: "Hi there" },
  { type: "model", response: ["Hello! How can I help?"] },
  { type: "user", text: "Define cat" },
  { type: "model", response: [] },
];

/** The prompts a wrapper renders for a fixed conversation, with and without functions. */
function fingerprint(wrapper: ChatWrapper): string {
  const render = (availableFunctions?: ChatModelFunctions) =>
    wrapper.generateContextState({
      chatHistory: SAMPLE_HISTORY,
      ...(availableFunctions ? { availableFunctions } : {}),
    }).contextText;
  return JSON.stringify([wrapper.wrapperName, render(), render(SAMPLE_FUNCTIONS), wrapper.settings]);
}

function build(choice: ChatWrapperChoice, model: LlamaModel): ChatWrapper | undefined {
  if (!Object.hasOwn(chatWrappers, choice.type)) return undefined;
  const Wrapper = (chatWrappers as Record<string, unknown>)[choice.type] as WrapperClass;
  if ((Wrapper as unknown) === JinjaTemplateChatWrapper) {
    const template = model.fileInfo.metadata?.tokenizer?.chat_template;
    if (typeof template !== "string") return undefined;
    return new JinjaTemplateChatWrapper({ template, tokenizer: model.tokenizer, ...choice.settings });
  }
  return new Wrapper(choice.settings);
}

/** Settings a wrapper type is tried with when it may stand for a Jinja template (node-llama-cpp's own list). */
function candidateSettings(Wrapper: WrapperClass): Record<string, unknown>[] {
  const configurations = Wrapper._getOptionConfigurationsToTestIfCanSupersedeJinjaTemplate?.() ?? [];
  const settings = configurations.map((c) => (Array.isArray(c) ? (c[1] ?? {}) : (c ?? {})));
  return [{}, ...settings].filter((s): s is Record<string, unknown> => typeof s === "object" && s !== null);
}

/**
 * What rebuilds `wrapper` for `model`, or undefined when no recorded form renders exactly the same
 * prompts (the next load then resolves the wrapper again), settings sent as JSON included.
 */
export function describeChatWrapper(wrapper: ChatWrapper, model: LlamaModel): ChatWrapperChoice | undefined {
  const type = Object.entries(chatWrappers).find(([, Wrapper]) => wrapper.constructor === Wrapper)?.[0];
  if (type === undefined) return undefined;
  const expected = fingerprint(wrapper);
  const Wrapper = wrapper.constructor as WrapperClass;
  const options = type === "jinjaTemplate" ? [{}] : candidateSettings(Wrapper);
  for (const candidate of options) {
    // What reaches the next worker is the settings' JSON: that is what must render the same.
    const choice = { type, settings: JSON.parse(JSON.stringify(candidate)) as Record<string, unknown> };
    try {
      const rebuilt = build(choice, model);
      if (rebuilt && fingerprint(rebuilt) === expected) return choice;
    } catch {
      // A setting this wrapper refuses: not the one it was made with.
    }
  }
  return undefined;
}

/** The wrapper `choice` describes, built without resolving; undefined when it cannot be built. */
export function rebuildChatWrapper(choice: ChatWrapperChoice, model: LlamaModel): ChatWrapper | undefined {
  try {
    return build(choice, model);
  } catch {
    return undefined;
  }
}
