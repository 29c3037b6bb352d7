/**
 * tool_choice "required" or a named function: the reply must be a tool call. node-llama-cpp 3 has no
 * option for that, but its chat wrappers can tell LlamaChat how a response starts: with a
 * `noPrefixTrigger` of type "functionCall" (and no prefix triggers), LlamaChat puts the wrapper's own
 * function-call prefix into the context right after the prompt and constrains generation to a function
 * name from `functions`, then to that function's parameters by its JSON schema. The model writes the
 * call in the syntax its template was trained on; it cannot answer with text instead.
 */
import { LlamaText, type ChatWrapper, type ChatWrapperGeneratedContextState } from "node-llama-cpp";

/**
 * A chat wrapper that renders like `wrapper` but opens every response with a function call. It
 * delegates everything else to `wrapper` (it is a prototype-linked view of it, so settings and helper
 * methods are the original's).
 */
export function forcingFunctionCall(wrapper: ChatWrapper): ChatWrapper {
  const forced = Object.create(wrapper) as ChatWrapper;
  forced.generateContextState = (options): ChatWrapperGeneratedContextState => {
    const state = wrapper.generateContextState(options);
    // Wrappers whose responses start in function-calling mode (Functionary) leave it only on a
    // "disengage" trigger: with none, the response is a call.
    if (state.functionCall?.initiallyEngaged)
      return { ...state, functionCall: { initiallyEngaged: true, disengageInitiallyEngaged: [] } };
    // Where the template marks a call with a channel or header before the function-call prefix
    // (Harmony's "<|channel|>commentary"), that goes into the context first.
    const callTrigger = state.prefixTriggers?.find((trigger) => trigger.type === "functionCall");
    return {
      contextText: state.contextText,
      stopGenerationTriggers: state.stopGenerationTriggers,
      ...(state.rerender ? { rerender: state.rerender } : {}),
      noPrefixTrigger: { type: "functionCall", inject: callTrigger?.inject ?? LlamaText([]) },
    };
  };
  return forced;
}
