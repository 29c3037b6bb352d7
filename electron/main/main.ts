/**
 * Electron main process: one instance, hosting the runner (store, engine, HTTP API) and its bridge,
 * the window, the tray and the menu. Everything the product does lives in electron/runner.
 */
import { app, Menu, type BrowserWindow } from "electron";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join, dirname } from "node:path";
import { createRunner, type Runner } from "../runner/runner.ts";
import { attachAppBridge, type BridgeHost } from "../runner/bridge/bridge-host.ts";
import type { RunnerStatus } from "../contract/runner.ts";
import { connectionLabel } from "../contract/connection.ts";
import { RunnerSwitch } from "../runner/bridge/runner-switch.ts";
import { registerBridgeIpc } from "./ipc.ts";
import { createMainWindow, hardenSession } from "./window.ts";
import { createAppTray, type AppTray } from "./tray.ts";
import { appMenuTemplate } from "./app-menu.ts";
import { createElectronEngine } from "./electron-engine.ts";

const here = dirname(fileURLToPath(import.meta.url));
const indexHtml = join(here, "../renderer/index.html");
// The folder with package.json: the repository in development, app.asar when packaged.
const resourcesDir = join(app.getAppPath(), "resources");

let runner: Runner | null = null;
let host: BridgeHost | null = null;
let runners: RunnerSwitch | null = null;
let win: BrowserWindow | null = null;
let tray: AppTray | null = null;
let quitting = false;

function showWindow() {
  if (!win || win.isDestroyed()) {
    win = createMainWindow({
      preload: join(here, "preload.cjs"),
      indexHtml,
      iconPath: join(resourcesDir, "icon.png"),
      devTools: !app.isPackaged,
    });
    win.on("close", (event) => {
      // With a tray, closing hides the window: the runner and downloads go on.
      if (!quitting && tray && runner?.settings().closeToTray) {
        event.preventDefault();
        win?.hide();
      }
    });
  }
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

function report(what: string) {
  return (error: unknown) => runner?.logs.error("runner", `${what}: ${(error as Error).message}`);
}

async function startApp() {
  hardenSession();
  runner = await createRunner({ createEngine: createElectronEngine, echoLogs: "warn" });
  host = await attachAppBridge(runner);
  // The window, tray and menu work with the chosen runner: this computer's, or a remote one.
  runners = new RunnerSwitch(host.dispatcher, runner.home);
  await runners.load();
  const rs = runners;
  registerBridgeIpc(rs, () => pathToFileURL(indexHtml).href);
  const r = runner;
  const send = (method: string, params?: unknown) =>
    void rs.call(method, params).then((result) => {
      if (!result.ok) report(method)(new Error(result.error.message));
    });
  const actions = {
    start: () => send("runner.start"),
    stop: () => send("runner.stop"),
    unload: (ref: string) => send("models.unload", { ref }),
    open: showWindow,
    quit: () => app.quit(),
  };
  let last: RunnerStatus = r.status();
  const refresh = (status: RunnerStatus) => {
    last = status;
    tray?.update(status, connectionLabel(rs.connection()));
    Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(status, actions, app.isPackaged)));
  };
  tray = createAppTray(resourcesDir, r.status(), actions);
  // Status from whichever runner is chosen; a switch opens the stream on the new one.
  const watchStatus = () =>
    rs.subscribe("runner.status", undefined, (e) => {
      if (e.kind === "snapshot" || e.kind === "delta") refresh(e.data as RunnerStatus);
    });
  let stopStatus = watchStatus();
  rs.onChange(() => {
    stopStatus();
    stopStatus = watchStatus();
    refresh(last);
  });
  refresh(r.status());
  showWindow();
  await r.start().catch(report("start failed"));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on("second-instance", showWindow);
  app.on("before-quit", () => (quitting = true));
  app.on("window-all-closed", () => {
    // Stay in the tray only when there is one and the user wants it (Settings → close to tray).
    if (!tray || !runner?.settings().closeToTray) app.quit();
  });
  let closed = false;
  app.on("will-quit", (event) => {
    if (closed || !runner) return;
    // Unload models and stop workers before the process exits; downloads keep their partial data.
    event.preventDefault();
    closed = true;
    void (async () => {
      runners?.close();
      await host?.close().catch(() => {});
      await runner?.close().catch(() => {});
      tray?.destroy();
      app.quit();
    })();
  });
  void app
    .whenReady()
    .then(startApp)
    .catch((error: unknown) => {
      console.error("Hangar could not start:", error);
      app.exit(1);
    });
}
