/**
 * The app in Chromium against a bridge, at the 1280×800 screenshots are taken at: the renderer served
 * beside the runner (testkit/app-host.ts), a browser, and a page whose uncaught errors are collected.
 */
import type { Browser, Page } from "playwright-core";
import { browseApp, type AppPageOptions } from "./browser.ts";
import { startAppHost, type AppHost } from "./app-host.ts";
import { RENDERER_DIR, type TestRunner } from "./runner.ts";
import type { Dispatcher } from "../electron/runner/bridge/dispatcher.ts";

export interface AppSession {
  app: AppHost;
  browser: Browser;
  page: Page;
  /** Uncaught errors of every page opened with `openPage`. */
  pageErrors: string[];
  /** Another window on the same app. */
  openPage(): Promise<Page>;
  close(): Promise<void>;
}

/** `source`: a test runner with a bridge, or a dispatcher of one's own (a runner switch, say). */
export async function openApp(
  source: TestRunner | Pick<Dispatcher, "call" | "subscribe">,
  page: AppPageOptions = { viewport: { width: 1280, height: 800 } },
): Promise<AppSession> {
  const dispatcher = "runner" in source ? source.bridge!.dispatcher : source;
  const app = await startAppHost(dispatcher, RENDERER_DIR);
  try {
    const opened = await browseApp(app.url, page);
    return {
      app,
      ...opened,
      close: async () => {
        await opened.browser.close();
        await app.close();
      },
    };
  } catch (error) {
    await app.close();
    throw error;
  }
}
