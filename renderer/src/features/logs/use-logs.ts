/** The Logs screen's view of its store (created with the app's other stores, in app/app-stores.ts). */
import { useApp, useStores } from "../../app/StoresContext.tsx";
import type { LogState, LogStore } from "./log-store.ts";

export function useLogStore(): LogStore {
  return useStores().logs;
}

export function useLogs<T>(selector: (state: LogState) => T): T {
  return useApp("logs", selector);
}
