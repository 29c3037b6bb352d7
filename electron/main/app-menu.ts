/**
 * The window's menu: Runner (Start/Stop) and Quit, plus the usual Edit and View roles. A packaged app's
 * View menu has no Reload or DevTools (the full viewMenu role is for development). Pure; types only.
 */
import type { MenuItemConstructorOptions } from "electron";
import type { RunnerStatus } from "../contract/runner.ts";

export function appMenuTemplate(
  status: RunnerStatus | null,
  actions: { start(): void; stop(): void; quit(): void },
  packaged = true,
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
    packaged
      ? {
          label: "View",
          submenu: [
            { role: "resetZoom" },
            { role: "zoomIn" },
            { role: "zoomOut" },
            { type: "separator" },
            { role: "togglefullscreen" },
          ],
        }
      : { role: "viewMenu" },
  ];
}
