/**
 * A conversation written into a test home before the runner opens it, with the kinds of content the
 * Chat screen renders differently: headings, a code block, a table, lists, a finished reply with
 * figures and a failed one with its error.
 */
import { join } from "node:path";
import { ConversationStore } from "../electron/runner/conversations/conversation-store.ts";
import type { ConversationMessage } from "../electron/contract/chat.ts";

export const SEEDED_REPLY = [
  "# Model sizes",
  "A table of sizes, then the command and a list.",
  "",
  "| Model | Size |",
  "| --- | --- |",
  "| tiny | 258 KB |",
  "| m25 | 51 MB |",
  "",
  "```sh",
  "hangar pull ai/smollm2:135M-Q4_K_M",
  "```",
  "",
  "- first `inline code`",
  "- second with **bold** and a [link](https://example.com)",
].join("\n");

/** Seeds one conversation (model `model`) into `home`; usable as a TestRunnerOptions `prepare`. */
export async function seedConversation(home: string, model = "local/tiny-chat:latest"): Promise<void> {
  const store = await ConversationStore.open(join(home, "conversations"));
  const created = await store.create({ model, title: "Sizes and commands" });
  const at = new Date().toISOString();
  const messages: ConversationMessage[] = [
    { id: "m1", role: "user", content: "How big are the models?", createdAt: at },
    {
      id: "m2",
      role: "assistant",
      content: SEEDED_REPLY,
      createdAt: at,
      figures: {
        promptTokens: 12,
        completionTokens: 40,
        tokensPerSecond: 31.5,
        timeToFirstTokenMs: 120,
        finishReason: "stop",
      },
    },
    { id: "m3", role: "user", content: "And the next one?", createdAt: at },
    {
      id: "m4",
      role: "assistant",
      content: "Partial",
      createdAt: at,
      error: { code: "worker_crashed", message: "The model's worker stopped unexpectedly." },
    },
  ];
  await store.replaceMessages(created.id, () => ({ messages }));
}
