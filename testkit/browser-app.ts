/**
 * The set-up of the browser specs: a test runner serving the built renderer and the app's bridge,
 * Chromium on its page (uncaught page errors collected), optionally a screen opened. If a step fails,
 * whatever had started is closed before the error is thrown.
 */
import type { Browser, Page } from "playwright-core";
import type { Settings } from "../electron/runner/settings/settings.ts";
import { browseApp, nav, type AppPageOptions } from "./browser.ts";
import { startTestRunner, type TestRunner, type TestRunnerOptions } from "./runner.ts";

export interface BrowserApp {
  app: TestRunner;
  browser: Browser;
  page: Page;
  /** Uncaught errors in the page: every spec ends by checking there were none. */
  pageErrors: string[];
  close(): Promise<void>;
}

export interface BrowserAppSteps {
  /** Runs on the started runner before the browser opens (requests whose log rows a screen shows…). */
  beforeBrowser?: (app: TestRunner) => Promise<void>;
  /** How the page opens (default 1280×820, the app's Content-Security-Policy in force). */
  page?: AppPageOptions;
  /** The screen to open from the Main navigation once the page is up. */
  screen?: string;
}

export async function startBrowserApp(
  settings: Partial<Settings>,
  options: TestRunnerOptions,
  steps: BrowserAppSteps = {},
): Promise<BrowserApp> {
  const app = await startTestRunner(settings, options);
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await app.close();
  };
  try {
    await steps.beforeBrowser?.(app);
    const opened = await browseApp(app.url, steps.page);
    browser = opened.browser;
    if (steps.screen) await nav(opened.page, steps.screen).click();
    return { app, browser, page: opened.page, pageErrors: opened.pageErrors, close };
  } catch (error) {
    await close();
    throw error;
  }
}
