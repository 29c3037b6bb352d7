/** The window's menu: Runner (Start/Stop) and Quit, plus the usual Edit and View roles. Pure; types only. */
import type { MenuItemConstructorOptions } from "electron";
import type { RunnerStatus } from "../contract/runner.ts";

export function appMenuTemplate(
  status: RunnerStatus | null,
  actions: { start(): void; stop(): void; quit(): void },
): MenuItemConstructorOptions[] {
  const running = status?.state === "running";
  const transitioning = status?.state === "starting" || status?.state === "stopping";
  return [
    {
      label: "Hangar",
      submenu: [
        running
          ? { label: "Stop runner", enabled: !transitioning, click: () => actions.stop() }
          : { label: "Start runner", enabled: !transitioning, click: () => actions.start() },
        { type: "separator" },
        { label: "Quit", accelerator: "CmdOrCtrl+Q", click: () => actions.quit() },
      ],
    },
    { role: "editMenu" },
    { role: "viewMenu" },
  ];
}
