/** The log viewer's store behind context: one per mounted screen. */
import { createContext, useContext } from "react";
import { useStore } from "zustand";
import type { LogState, LogStore } from "./log-store.ts";

export const LogStoreContext = createContext<LogStore | null>(null);

export function useLogStore(): LogStore {
  const store = useContext(LogStoreContext);
  if (!store) throw new Error("useLogs must be used inside the Logs screen");
  return store;
}

export function useLogs<T>(selector: (state: LogState) => T): T {
  return useStore(useLogStore(), selector);
}
