/**
 * Two thin drivers with one small interface, so the same journey runs in Firefox ESR (puppeteer-core
 * over WebDriver BiDi) and WebKitGTK (webdriverio over classic WebDriver, MiniBrowser under Xvfb).
 * Clicks and typing are the drivers' own (real input events); reads and waits run in the page. The
 * forms are in the light DOM, so plain CSS selectors reach every field.
 */
import puppeteer, { type Browser as PBrowser, type Page as PPage } from 'puppeteer-core';
import { remote } from 'webdriverio';
import { firefoxLaunchOptions, startWebKitDriver, webkitCapabilities } from '../../scripts/lib/engines.mjs';

export interface Driver {
  readonly engine: string;
  /** Navigates and waits for the load event. */
  goto(url: string): Promise<void>;
  /** Runs `fn` in the page with JSON arguments and returns its JSON result. */
  run<T, A extends unknown[]>(fn: (...args: A) => T | Promise<T>, ...args: A): Promise<T>;
  click(selector: string): Promise<void>;
  type(selector: string, text: string): Promise<void>;
  /** Uncaught page errors and unhandled rejections since the last page load (hooked in the page). */
  pageErrors(): Promise<string[]>;
  close(): Promise<void>;
}

/** Page-side hook for errors (WebDriver classic has no page-error events). */
function hookErrors(): void {
  const w = window as unknown as { __journeyErrors?: string[] };
  if (w.__journeyErrors) return;
  const errors: string[] = (w.__journeyErrors = []);
  addEventListener('error', (e) => errors.push(`error: ${e.message}`));
  addEventListener('unhandledrejection', (e) => errors.push(`unhandledrejection: ${String((e as PromiseRejectionEvent).reason)}`));
}

/** Polls `fn` in the page until it returns true (a boolean: DOM nodes do not cross every driver). */
export async function waitFor<A extends unknown[]>(d: Driver, what: string, fn: (...args: A) => boolean, ...args: A): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    let last: unknown;
    try {
      last = await d.run(fn, ...args);
    } catch (error) {
      // A navigation in progress destroys the context; try again.
      last = error;
    }
    if (last && !(last instanceof Error)) return;
    if (Date.now() > deadline) {
      // Say what the page shows and what went wrong in it, so a failure can be read from the log.
      const seen = await d
        .run(
          () =>
            `${location.href}\n${(document.querySelector('portal-login')?.textContent ?? '').replace(/\s+/g, ' ').slice(0, 600) ?? document.body?.innerText.slice(0, 600)}`,
        )
        .catch(String);
      const errors = await d.pageErrors().catch(() => []);
      throw new Error(
        `${d.engine}: timed out waiting for ${what}${last instanceof Error ? ` (${last.message})` : ''}\npage: ${seen}\nerrors: ${errors.join('\n')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

/**
 * A real mouse click: through a locator, which waits until the element is attached, visible, enabled
 * and still; if that wait runs out (its stillness check counts animation frames, which a loaded
 * machine starves), with a fresh handle of the element as it is now.
 */
async function realClick(page: PPage, selector: string): Promise<void> {
  try {
    await page.locator(selector).setTimeout(10_000).click();
  } catch {
    const handle = await page.waitForSelector(selector, { visible: true, timeout: 10_000 });
    await handle!.click();
  }
}

/** Names the action and the selector in a driver error (the drivers' own stacks never reach the journey). */
function explain(action: string, selector: string): (error: unknown) => never {
  return (error) => {
    throw new Error(`${action} ${selector}: ${error instanceof Error ? error.message : String(error)}`);
  };
}

/** Firefox ESR; `prefs` adds preferences (e.g. FIREFOX_BLOCK_STORAGE: "block all cookies"). */
export async function firefoxDriver(prefs: Record<string, unknown> = {}): Promise<Driver> {
  const browser: PBrowser = await puppeteer.launch(firefoxLaunchOptions(prefs));
  // Not the tab Firefox opens at launch: it never has focus (TOOLCHAIN "Firefox and WebKit").
  const page: PPage = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${(e as Error).message ?? String(e)}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/favicon/.test(m.location()?.url ?? '')) problems.push(`console: ${m.text()}`);
  });
  return {
    engine: 'Firefox ESR',
    async goto(url) {
      await page.goto(url, { waitUntil: 'load' });
      await page.evaluate(hookErrors);
    },
    run: (fn, ...args) => page.evaluate(fn as never, ...(args as unknown as never[])) as never,
    async click(selector) {
      await realClick(page, selector).catch(explain('click', selector));
    },
    async type(selector, text) {
      await realClick(page, selector).catch(explain('type into', selector));
      await page.keyboard.type(text);
    },
    async pageErrors() {
      const inPage = await page.evaluate(() => (window as unknown as { __journeyErrors?: string[] }).__journeyErrors ?? []);
      return [...problems, ...inPage];
    },
    async close() {
      await browser.close();
    },
  };
}

export async function webkitDriver(): Promise<Driver> {
  const driver = await startWebKitDriver();
  let browser: WebdriverIO.Browser;
  try {
    browser = await remote({ hostname: '127.0.0.1', port: driver.port, path: '/', logLevel: 'error', capabilities: webkitCapabilities() });
  } catch (error) {
    driver.stop();
    throw error;
  }
  return {
    engine: 'WebKitGTK',
    async goto(url) {
      await browser.url(url);
      await browser.execute(hookErrors);
    },
    run: (fn, ...args) => browser.execute(fn as never, ...(args as unknown as never[])) as never,
    async click(selector) {
      const el = await browser.$(selector);
      await el.waitForClickable({ timeout: 20_000 });
      await el.click();
    },
    async type(selector, text) {
      const el = await browser.$(selector);
      await el.waitForClickable({ timeout: 20_000 });
      await el.click();
      await el.addValue(text);
    },
    async pageErrors() {
      return browser.execute(() => (window as unknown as { __journeyErrors?: string[] }).__journeyErrors ?? []);
    },
    async close() {
      try {
        await browser.deleteSession();
      } finally {
        driver.stop();
      }
    },
  };
}
