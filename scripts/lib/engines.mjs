// Firefox ESR and WebKitGTK, the other two engines constituents use (issue 13), in one place for every
// runner: web-test-runner's config (plain .mjs) and the cross-engine journey import this file.
// Nothing here downloads a browser or a driver (TOOLCHAIN "Firefox and WebKit"):
//   - Firefox ESR (Debian's firefox-esr) speaks WebDriver BiDi itself; puppeteer-core drives it.
//   - WebKitGTK: Debian's WebKitWebDriver (classic WebDriver) opens MiniBrowser, which needs an X
//     display; with none set, we start our own Xvfb, so a fresh machine with nothing running works.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

/** Debian's Firefox ESR, overridable with FIREFOX_PATH. */
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** Debian's WebKitWebDriver (package webkit2gtk-driver), overridable with WEBKIT_DRIVER_PATH. */
export const WEBKIT_DRIVER_PATH = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';

/** WebKitGTK's MiniBrowser (package libwebkit2gtk-4.1-0), overridable with MINIBROWSER_PATH. */
export const MINIBROWSER_PATH = process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/**
 * Firefox preferences for every run: no first-run pages, updates, telemetry or outside requests.
 * `extra` adds to them (dark mode, blocked cookies, …).
 */
export function firefoxPrefs(extra = {}) {
  return {
    'browser.shell.checkDefaultBrowser': false,
    'browser.startup.homepage_override.mstone': 'ignore',
    'app.update.enabled': false,
    'app.update.auto': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'toolkit.telemetry.reportingpolicy.firstRun': false,
    'browser.newtabpage.enabled': false,
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'extensions.update.enabled': false,
    'media.gmp-manager.updateEnabled': false,
    'browser.region.network.url': '',
    'browser.search.geoip.url': '',
    ...extra,
  };
}

/** Firefox preferences for a browser in dark mode (what `prefers-color-scheme: dark` sees). */
export const FIREFOX_DARK = { 'ui.systemUsesDarkTheme': 1, 'layout.css.prefers-color-scheme.content-override': 0 };

/** Firefox preferences for "block all cookies" (storage refused: localStorage, BroadcastChannel, Web Locks throw). */
export const FIREFOX_BLOCK_STORAGE = { 'network.cookie.cookieBehavior': 2 };

/** puppeteer-core launch options for Firefox ESR over BiDi. */
export function firefoxLaunchOptions(extraPrefs = {}) {
  return {
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    extraPrefsFirefox: firefoxPrefs(extraPrefs),
  };
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const children = new Set();
process.once('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
});

function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

let display;

/**
 * An X display for MiniBrowser: `$DISPLAY` when set, else an Xvfb of our own (started once per
 * process, stopped when the process exits). Resolves with the display string, e.g. `:99`.
 */
export function xDisplay() {
  if (process.env.DISPLAY) return Promise.resolve(process.env.DISPLAY);
  display ??= new Promise((resolve, reject) => {
    // -displayfd: Xvfb picks a free display number and writes it to fd 3 once it accepts clients.
    const child = track(
      spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] }),
    );
    let err = '';
    let out = '';
    const timer = setTimeout(() => reject(new Error(`Xvfb did not start in 20 s: ${err}`)), 20_000);
    child.stderr.on('data', (c) => (err += c));
    child.stdio[3].on('data', (c) => {
      out += c;
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(`:${out.trim()}`);
      }
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start Xvfb (apt-get install xvfb): ${e.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited (${code}) before it was ready: ${err}`));
    });
    child.unref();
    child.stderr.unref?.();
    child.stdio[3].unref?.();
  });
  return display;
}

/**
 * Starts WebKitWebDriver on a free port with an X display. Resolves with `{ port, stop() }` once it
 * answers `/status`.
 */
export async function startWebKitDriver() {
  if (!existsSync(WEBKIT_DRIVER_PATH)) throw new Error(`${WEBKIT_DRIVER_PATH} is missing (apt-get install webkit2gtk-driver)`);
  const DISPLAY = await xDisplay();
  const port = await freePort();
  const child = track(
    spawn(WEBKIT_DRIVER_PATH, [`--port=${port}`, '--host=127.0.0.1'], { env: { ...process.env, DISPLAY }, stdio: ['ignore', 'ignore', 'pipe'] }),
  );
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited (${child.exitCode}): ${err}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/status`);
      if (res.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`WebKitWebDriver did not answer in 20 s: ${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.unref();
  child.stderr.unref?.();
  return {
    port,
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}

/** MiniBrowser flags for a browser that refuses web storage (WebKitSettings enable-html5-local-storage). */
export const WEBKIT_BLOCK_STORAGE = ['--enable-html5-local-storage=false'];

/**
 * webdriverio capabilities for MiniBrowser. `dark` starts it in dark mode; `blockStorage` without web storage. Classic WebDriver only:
 * WebKitWebDriver has no BiDi, and webdriverio 9 would otherwise try it.
 */
export function webkitCapabilities({ dark = false, blockStorage = false } = {}) {
  const args = ['--automation', ...(dark ? ['--dark-mode'] : []), ...(blockStorage ? WEBKIT_BLOCK_STORAGE : [])];
  return {
    browserName: 'MiniBrowser',
    'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args },
    'wdio:enforceWebDriverClassic': true,
  };
}
