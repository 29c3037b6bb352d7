/** The Chat screen's store behind context: one per mounted screen, so each test or window gets its own. */
import { createContext, useContext } from "react";
import { useStore } from "zustand";
import type { ChatState, ChatStore } from "./chat-store.ts";

export const ChatStoreContext = createContext<ChatStore | null>(null);

export function useChat<T>(selector: (state: ChatState) => T): T {
  const store = useContext(ChatStoreContext);
  if (!store) throw new Error("useChat must be used inside the Chat screen");
  return useStore(store, selector);
}
