/**
 * The app in Chromium against a test runner's bridge, at the 1280×800 screenshots are taken at: the
 * renderer served beside the runner (testkit/app-host.ts), a browser, and a page whose uncaught errors
 * are collected.
 */
import type { Browser, Page } from "playwright-core";
import { launchBrowser, openAppPage } from "./browser.ts";
import { startAppHost, type AppHost } from "./app-host.ts";
import { RENDERER_DIR, type TestRunner } from "./runner.ts";

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

export async function openApp(t: TestRunner): Promise<AppSession> {
  const app = await startAppHost(t.bridge!.dispatcher, RENDERER_DIR);
  const pageErrors: string[] = [];
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const b = browser;
    const openPage = async () => {
      const page = await openAppPage(b, app.url, pageErrors);
      await page.setViewportSize({ width: 1280, height: 800 });
      return page;
    };
    const page = await openPage();
    return {
      app,
      browser,
      page,
      pageErrors,
      openPage,
      close: async () => {
        await b.close();
        await app.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await app.close();
    throw error;
  }
}
