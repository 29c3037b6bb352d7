/** The app's stores behind React context, with a typed selector hook per store. */
import { createContext, useContext, type ReactNode } from "react";
import { useStore } from "zustand";
import type { AppStores } from "./app-stores.ts";

const StoresContext = createContext<AppStores | null>(null);

export function StoresProvider({ stores, children }: { stores: AppStores; children: ReactNode }) {
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>;
}

export function useStores(): AppStores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error("useStores must be used inside a StoresProvider");
  return stores;
}

type StateOf<K extends keyof AppStores> = ReturnType<AppStores[K]["getState"]>;

/** e.g. `const status = useApp("runner", (s) => s.status)` */
export function useApp<K extends keyof AppStores, T>(key: K, selector: (state: StateOf<K>) => T): T {
  const store = useStores()[key];
  return useStore(store as never, selector as never) as T;
}
