/** Which screen is shown, and the model a screen asked the Chat screen to open. */
import { createStore } from "zustand/vanilla";

export const SCREENS = ["Catalog", "Models", "Chat", "Logs", "Settings"] as const;
export type Screen = (typeof SCREENS)[number];

export interface NavigationState {
  screen: Screen;
  /** Set by "Open in chat" on the Models screen; the Chat screen reads it. */
  chatModel: string | null;
  go(screen: Screen): void;
  openChat(ref: string): void;
}

export function createNavigationStore(initial: Screen = "Catalog") {
  return createStore<NavigationState>()((set) => ({
    screen: initial,
    chatModel: null,
    go: (screen) => set({ screen }),
    openChat: (ref) => set({ screen: "Chat", chatModel: ref }),
  }));
}
