/** The tray icon and menu, rebuilt from the runner's status on every change. */
import { Menu, Tray, nativeImage } from "electron";
import { join } from "node:path";
import type { RunnerStatus } from "../contract/runner.ts";
import { trayIconState, trayMenuTemplate, type TrayActions } from "./tray-menu.ts";

export interface AppTray {
  /** `where`: "this computer" or the remote runner's host. */
  update(status: RunnerStatus, where?: string): void;
  destroy(): void;
}

/** Returns null where the desktop has no tray (the window then quits the app when closed). */
export function createAppTray(
  resourcesDir: string,
  status: RunnerStatus,
  actions: TrayActions,
): AppTray | null {
  const icon = (state: string) => nativeImage.createFromPath(join(resourcesDir, `tray-${state}.png`));
  let tray: Tray;
  try {
    tray = new Tray(icon(trayIconState(status)));
  } catch {
    return null;
  }
  tray.setToolTip("Hangar");
  tray.on("click", () => actions.open());
  const update = (s: RunnerStatus, where = "this computer") => {
    tray.setImage(icon(trayIconState(s)));
    tray.setToolTip(`Hangar: ${where}`);
    tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(s, actions, where)));
  };
  update(status);
  return { update, destroy: () => tray.destroy() };
}
