/** The Chat screen's view of its store (created with the app's other stores, in app/app-stores.ts). */
import { useApp } from "../../app/StoresContext.tsx";
import type { ChatState } from "./chat-store.ts";

export function useChat<T>(selector: (state: ChatState) => T): T {
  return useApp("chat", selector);
}
