/**
 * OpenAI-style messages and tools to node-llama-cpp's chat history and function definitions.
 * Tool calls are returned to the client, never executed here: a tool result arrives later as a "tool"
 * message and is attached to the call it answers.
 */
import type {
  ChatHistoryItem,
  ChatModelFunctionCall,
  ChatModelFunctions,
  ChatModelResponse,
} from "node-llama-cpp";
import type { ChatMessage, ToolDefinition } from "../types.ts";

export class ChatHistoryError extends Error {
  readonly code = "invalid_request";
}

function parseArguments(text: string, name: string): unknown {
  try {
    return JSON.parse(text || "{}");
  } catch {
    throw new ChatHistoryError(`tool call "${name}": arguments are not valid JSON`);
  }
}

/** Builds the history to generate from; it ends with the model response to be generated (or continued). */
export function toChatHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  if (messages.length === 0) throw new ChatHistoryError("messages must not be empty");
  const history: ChatHistoryItem[] = [];
  const openCalls = new Map<string, ChatModelFunctionCall>();
  for (const message of messages) {
    switch (message.role) {
      case "system":
        history.push({ type: "system", text: message.content });
        break;
      case "user":
        history.push({ type: "user", text: message.content });
        break;
      case "assistant": {
        const response: ChatModelResponse["response"] = message.content ? [message.content] : [];
        for (const call of message.toolCalls ?? []) {
          const item: ChatModelFunctionCall = {
            type: "functionCall",
            name: call.name,
            params: parseArguments(call.arguments, call.name),
            result: undefined,
          };
          openCalls.set(call.id, item);
          response.push(item);
        }
        history.push({ type: "model", response });
        break;
      }
      case "tool": {
        const call = message.toolCallId === undefined ? undefined : openCalls.get(message.toolCallId);
        if (!call)
          throw new ChatHistoryError(
            `a "tool" message must answer a tool call of an earlier assistant message (toolCallId ${JSON.stringify(message.toolCallId)} is unknown)`,
          );
        call.result = parseToolResult(message.content);
        openCalls.delete(message.toolCallId!);
        break;
      }
      default:
        return message.role satisfies never;
    }
  }
  const last = messages[messages.length - 1]!;
  // A trailing assistant message without calls is a prefix to continue; anything else gets a new response.
  if (!(last.role === "assistant" && !last.toolCalls?.length)) history.push({ type: "model", response: [] });
  return history;
}

function parseToolResult(content: string): unknown {
  try {
    return JSON.parse(content);
  } catch {
    return content;
  }
}

/** The function a `toolChoice` of `{name}` names, if it is one. */
function namedChoice(toolChoice: unknown): string | undefined {
  return typeof toolChoice === "object" && toolChoice !== null && "name" in toolChoice
    ? String((toolChoice as { name: unknown }).name)
    : undefined;
}

/** "required" or a named function: the reply must be a tool call (forced-tool-call.ts makes it one). */
export function requiresToolCall(tools: readonly ToolDefinition[] | undefined, toolChoice: unknown): boolean {
  if (!tools || tools.length === 0) return false;
  return toolChoice === "required" || namedChoice(toolChoice) !== undefined;
}

/** Tools the model may call; `toolChoice` "none" offers none, a named choice offers only that one. */
export function toFunctions(
  tools: readonly ToolDefinition[] | undefined,
  toolChoice: unknown,
): ChatModelFunctions | undefined {
  if (!tools || tools.length === 0 || toolChoice === "none") return undefined;
  const named = namedChoice(toolChoice);
  const functions: Record<string, { description?: string; params?: never }> = {};
  for (const tool of tools) {
    if (named !== undefined && tool.name !== named) continue;
    functions[tool.name] = {
      ...(tool.description ? { description: tool.description } : {}),
      // The JSON schema of the arguments goes through as is; node-llama-cpp builds the grammar from it.
      ...(tool.parameters ? { params: tool.parameters as never } : {}),
    };
  }
  if (named !== undefined && Object.keys(functions).length === 0)
    throw new ChatHistoryError(`tool_choice names "${named}", which is not among the tools`);
  return functions;
}
