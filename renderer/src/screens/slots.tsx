/**
 * Chat and Logs live in their own folders (screens/chat, screens/logs). They are picked up when
 * present, so the shell builds with or without them; a placeholder stands in otherwise.
 */
import type { ComponentType } from "react";
import { Placeholder } from "./Placeholder.tsx";

type ChatProps = { model?: string | null };
const chat = import.meta.glob<{ ChatScreen: ComponentType<ChatProps> }>("./chat/ChatScreen.tsx", {
  eager: true,
});
const logs = import.meta.glob<{ LogsScreen: ComponentType }>("./logs/LogsScreen.tsx", { eager: true });

/** `model`: the model "Open in chat" asked for (Models screen), if any. */
export const ChatSlot: ComponentType<ChatProps> =
  Object.values(chat)[0]?.ChatScreen ?? (() => <Placeholder name="Chat" />);
export const LogsSlot: ComponentType =
  Object.values(logs)[0]?.LogsScreen ?? (() => <Placeholder name="Logs" />);
