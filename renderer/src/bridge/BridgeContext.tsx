/** The Bridge is injected through context: screens and stores never reach for window globals. */
import { createContext, useContext, type ReactNode } from "react";
import type { Bridge } from "../../../electron/contract/index.ts";

const BridgeContext = createContext<Bridge | null>(null);

export function BridgeProvider({ bridge, children }: { bridge: Bridge; children: ReactNode }) {
  return <BridgeContext.Provider value={bridge}>{children}</BridgeContext.Provider>;
}

export function useBridge(): Bridge {
  const bridge = useContext(BridgeContext);
  if (!bridge) throw new Error("useBridge must be used inside a BridgeProvider");
  return bridge;
}
