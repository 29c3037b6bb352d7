/**
 * The main window, locked down: isolated and sandboxed renderer without Node, no navigation away from
 * the app, no new windows (public https links open in the browser), no permissions granted.
 */
import { BrowserWindow, nativeTheme, shell, session } from "electron";
import { isSafeExternalUrl } from "./url-policy.ts";

/** Once per session: refuse every permission (camera, notifications, …) the page might ask for. */
export function hardenSession(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

export function createMainWindow(options: {
  preload: string;
  indexHtml: string;
  iconPath?: string;
  /** DevTools only in development: a packaged app cannot open them (nor reload, see app-menu.ts). */
  devTools: boolean;
}): BrowserWindow {
  const win = new BrowserWindow({
    width: 1240,
    height: 820,
    minWidth: 860,
    minHeight: 560,
    title: "Hangar",
    show: false,
    // The page's own background in the scheme the system uses (--bg in styles.css), so the window
    // never flashes light before the first paint in dark mode.
    backgroundColor: nativeTheme.shouldUseDarkColors ? "#0e1116" : "#f5f6f8",
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      devTools: options.devTools,
    },
  });
  const contents = win.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: "deny" };
  });
  // The app is one page: any navigation (a dropped file, a link without target) is refused.
  contents.on("will-navigate", (event) => event.preventDefault());
  contents.on("will-redirect", (event) => event.preventDefault());
  contents.on("will-attach-webview", (event) => event.preventDefault());
  win.once("ready-to-show", () => win.show());
  void win.loadFile(options.indexHtml);
  return win;
}
