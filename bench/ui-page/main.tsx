/** The benchmark page: the real Chat or Logs screen over a synthetic bridge, plus a frame recorder. */
import { createRoot } from "react-dom/client";
import { ChatScreen } from "../../renderer/src/features/chat/ChatScreen.tsx";
import { LogsScreen } from "../../renderer/src/features/logs/LogsScreen.tsx";
import { StoresProvider } from "../../renderer/src/app/StoresContext.tsx";
import { createAppStores } from "../../renderer/src/app/app-stores.ts";
import { createBenchBridge } from "./bench-bridge.ts";
import "../../renderer/src/app/styles.css";

const bench = createBenchBridge();
const screen = new URLSearchParams(location.search).get("screen");

function recordFrames() {
  const deltas: number[] = [];
  let last = performance.now();
  let running = true;
  const tick = (now: number) => {
    deltas.push(now - last);
    last = now;
    if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame((now) => {
    last = now;
    requestAnimationFrame(tick);
  });
  return () => {
    running = false;
    return deltas;
  };
}

Object.assign(window, { bench: { ...bench, recordFrames } });

createRoot(document.getElementById("root")!).render(
  <StoresProvider stores={createAppStores(bench.bridge)}>
    <div style={{ padding: 20 }}>{screen === "logs" ? <LogsScreen /> : <ChatScreen />}</div>
  </StoresProvider>,
);
