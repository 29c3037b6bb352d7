/**
 * The tray menu as a pure function of the runner's state. It imports Electron's types only, so it is
 * unit-tested in plain Node; tray.ts turns the template into a real Menu.
 */
import type { MenuItemConstructorOptions } from "electron";
import type { RunnerStatus } from "../contract/runner.ts";

export type TrayIconState = "running" | "stopped" | "busy";

export interface TrayActions {
  start(): void;
  stop(): void;
  unload(ref: string): void;
  open(): void;
  quit(): void;
}

export function trayIconState(status: RunnerStatus | null): TrayIconState {
  if (!status || status.state !== "running") return "stopped";
  return status.busy > 0 ? "busy" : "running";
}

export function statusLine(status: RunnerStatus | null): string {
  if (!status) return "Hangar: starting…";
  switch (status.state) {
    case "running": {
      const busy = status.busy > 0 ? `, ${status.busy} busy` : "";
      return `Running on ${status.url ?? "?"}${busy}`;
    }
    case "starting":
      return "Starting…";
    case "stopping":
      return "Stopping…";
    case "stopped":
      return "Runner stopped";
    default:
      return status.state satisfies never;
  }
}

/** `where`: the runner the app works with ("this computer", or a remote runner's host). */
export function trayMenuTemplate(
  status: RunnerStatus | null,
  actions: TrayActions,
  where = "this computer",
): MenuItemConstructorOptions[] {
  const state = status?.state ?? "stopped";
  const transitioning = state === "starting" || state === "stopping";
  const loaded = status?.loadedModels ?? [];
  const items: MenuItemConstructorOptions[] = [
    { label: `Runner: ${where}`, enabled: false },
    { label: statusLine(status), enabled: false },
    { type: "separator" },
    state === "running" || state === "stopping"
      ? { label: "Stop runner", enabled: !transitioning, click: () => actions.stop() }
      : { label: "Start runner", enabled: !transitioning, click: () => actions.start() },
    { type: "separator" },
  ];
  if (loaded.length === 0) items.push({ label: "No models loaded", enabled: false });
  else {
    items.push({ label: "Loaded models", enabled: false });
    for (const ref of loaded)
      items.push({ label: ref, submenu: [{ label: "Unload", click: () => actions.unload(ref) }] });
  }
  items.push(
    { type: "separator" },
    { label: "Open Hangar", click: () => actions.open() },
    { label: "Quit Hangar", click: () => actions.quit() },
  );
  return items;
}
