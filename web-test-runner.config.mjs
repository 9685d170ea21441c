// Browser tests of the elements (STYLE §9): one group per component, against the real reference API,
// which this config starts on a free port with a database of its own (plus a second instance with
// rate limits on, for a real `429` + `Retry-After`), in the engines constituents use (issue 13):
// Debian's Chromium, Firefox ESR (puppeteer-core over WebDriver BiDi) and WebKitGTK (MiniBrowser
// through WebKitWebDriver, under an Xvfb this config starts when there is no $DISPLAY).
// Run: npx wtr                          (Chromium; one group: npx wtr --group login)
//      WTR_BROWSERS=firefox npx wtr     (or webkit, or chromium,firefox,webkit — `npm test` runs each)
// The `storage-blocked` group runs test/components/blocked/* in browsers set to refuse site data.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { build } from 'esbuild';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { webdriverLauncher } from '@web/test-runner-webdriver';
import { defaultReporter } from '@web/test-runner';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/lib/chromium.mjs';
import { FIREFOX_BLOCK_STORAGE, firefoxLaunchOptions, startWebKitDriver, webkitCapabilities } from './scripts/lib/engines.mjs';
import { pgliteCopy } from './scripts/lib/pglite-template.mjs';

const require = createRequire(import.meta.url);

/** A free TCP port, chosen before wtr starts so the API can allow its origin. */
function freePort() {
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

const port = Number(process.env.WTR_PORT) || (await freePort());

/**
 * Starts `server/main.ts`; its `url` resolves with the base URL once it says it is listening. Rate
 * limits are off, except in the second instance that the rate-limit tests use to meet a real `429`.
 */
async function startApi({ rateLimits = false } = {}) {
  // Without DATABASE_URL, a database of its own: a fresh copy of the migrated PGlite template.
  const database = process.env.DATABASE_URL ? undefined : await pgliteCopy();
  const env = {
    ...process.env,
    PORT: '0',
    DATA_DIR: database?.dir ?? 'memory',
    NODE_ENV: 'development',
    RATE_LIMITS: rateLimits ? 'on' : 'off',
    PORTAL_DEV_ORIGINS: `http://localhost:${port},http://127.0.0.1:${port}`,
  };
  if (process.env.DATABASE_URL) env.DATABASE_SCHEMA = `wtr_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.once('exit', () => database?.remove());
  const stop = () => {
    if (child.exitCode === null && !child.killed) child.kill('SIGTERM');
  };
  process.once('exit', stop);
  const url = new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`portal API did not start in 60 s:\n${out}\n${err}`)), 60_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /portal API listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1].replace(/\/?$/, '/'));
      }
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`portal API exited (${code}) before listening:\n${out}\n${err}`));
    });
  });
  return { url, stop };
}

const [api, limitedApi] = await Promise.all([startApi(), startApi({ rateLimits: true })]);
const [apiUrl, limitedApiUrl] = await Promise.all([api.url, limitedApi.url]);

/** Stops the APIs with the dev server. */
function apiLifecycle() {
  return {
    name: 'portal-api',
    serverStop() {
      api.stop();
      limitedApi.stop();
    },
  };
}

/**
 * A host page under a strict Content-Security-Policy (no inline script or style, no eval), served
 * with the CSP as a real header, for test/components/csp.test.ts.
 */
function strictCspPage() {
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src 'self' ${new URL(apiUrl).origin}`,
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
    // Trusted Types where the engine has them (the README's recommended policy); an engine without
    // them ignores these two directives, and the same test must pass there too (issue 13).
    "require-trusted-types-for 'script'",
    'trusted-types lit-html',
  ].join('; ');
  return {
    name: 'strict-csp-page',
    serve(context) {
      if (context.path !== '/__csp/page.html') return undefined;
      const body = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>portal-widgets under a strict CSP</title>
    <script type="module" src="/test/components/csp/page.ts"></script>
  </head>
  <body>
    <portal-provider api="${apiUrl}" org="riverside-arts">
      <portal-login></portal-login>
      <portal-qr></portal-qr>
    </portal-provider>
  </body>
</html>`;
      return { body, type: 'html', headers: { 'content-security-policy': csp } };
    },
  };
}

/** qrcode is CommonJS only: serve an esbuild ESM bundle of it (TOOLCHAIN "CommonJS"). */
function qrcodeEsm() {
  let bundle;
  return {
    name: 'qrcode-esm',
    resolveImport({ source }) {
      if (source === 'qrcode' || source === 'qrcode/lib/core/qrcode.js') return '/__cjs__/qrcode.js';
      return undefined;
    },
    async serve(context) {
      if (context.path !== '/__cjs__/qrcode.js') return undefined;
      bundle ??= build({
        stdin: {
          // The core encoder the element imports (the same module Vite bundles), as ESM.
          contents: "import core from 'qrcode/lib/core/qrcode.js'; export default core; export const create = core.create;",
          resolveDir: process.cwd(),
        },
        bundle: true,
        format: 'esm',
        platform: 'browser',
        write: false,
      }).then((r) => r.outputFiles[0].text);
      return { body: await bundle, type: 'js' };
    },
  };
}

/** react and react-dom are CommonJS only (used by the autofill tests): one ESM bundle plus re-exports. */
function reactEsm() {
  let bundle;
  // Export names read now, at config load: react's development build logs through console methods that
  // web-test-runner's terminal replaces while tests run (a `require` then throws).
  const names = Object.fromEntries(
    ['react', 'react-dom/client'].map((mod) => [mod, Object.keys(require(mod)).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k))]),
  );
  const reexport = (name, mod) =>
    `import { ${name} as m } from '/__cjs__/react-bundle.js';\nexport default m;\nexport const { ${names[mod].join(', ')} } = m;\n`;
  const modules = {
    '/__cjs__/react.js': () => reexport('React', 'react'),
    '/__cjs__/react-dom-client.js': () => reexport('ReactDOMClient', 'react-dom/client'),
    '/__cjs__/react-bundle.js': async () => {
      bundle ??= build({
        stdin: {
          contents: "import * as React from 'react'; import * as ReactDOMClient from 'react-dom/client'; export { React, ReactDOMClient };",
          resolveDir: process.cwd(),
        },
        bundle: true,
        format: 'esm',
        write: false,
        define: { 'process.env.NODE_ENV': '"production"' },
      }).then((r) => r.outputFiles[0].text);
      return bundle;
    },
  };
  return {
    name: 'react-esm',
    resolveImport({ source }) {
      if (source === 'react') return '/__cjs__/react.js';
      if (source === 'react-dom/client') return '/__cjs__/react-dom-client.js';
      return undefined;
    },
    async serve(context) {
      const make = modules[context.path];
      if (make) return { body: await make(), type: 'js' };
      return undefined;
    },
  };
}

/**
 * Writes the counts of the run to .tmp/wtr-results.json (or $WTR_RESULTS) for `npm test`: in total
 * and per engine, `{ passed, failed, skipped, engines: { chromium: {…}, firefox: {…}, webkit: {…} } }`.
 */
function resultsFileReporter() {
  return {
    onTestRunFinished({ sessions }) {
      const zero = () => ({ passed: 0, failed: 0, skipped: 0 });
      const totals = { ...zero(), engines: {} };
      for (const session of sessions) {
        const engine = engineOf(session.browser);
        const counts = (totals.engines[engine] ??= zero());
        const add = (key) => {
          counts[key] += 1;
          totals[key] += 1;
        };
        const walk = (suite) => {
          if (!suite) return;
          for (const test of suite.tests ?? []) add(test.skipped ? 'skipped' : test.passed ? 'passed' : 'failed');
          for (const child of suite.suites ?? []) walk(child);
        };
        walk(session.testResults);
        // A file that failed to load counts as one failure.
        if (!session.passed && (session.errors?.length ?? 0) > 0) add('failed');
      }
      const file = process.env.WTR_RESULTS ?? '.tmp/wtr-results.json';
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, `${JSON.stringify(totals)}\n`);
    },
  };
}

/** The engines of this run: $WTR_BROWSERS, a comma-separated list of chromium, firefox, webkit. */
const engines = (process.env.WTR_BROWSERS ?? 'chromium')
  .split(',')
  .map((s) => s.trim().toLowerCase())
  .filter(Boolean);
for (const engine of engines) {
  if (!['chromium', 'firefox', 'webkit'].includes(engine)) throw new Error(`WTR_BROWSERS: unknown engine "${engine}" (chromium, firefox, webkit)`);
}

// One WebKitWebDriver per WebKit launcher (the storage-blocked group has its own), so their sessions never wait on each other.
const [webkitDriver, webkitBlockedDriver] = engines.includes('webkit') ? await Promise.all([startWebKitDriver(), startWebKitDriver()]) : [];

function chromium({ blockStorage = false } = {}) {
  const launchOptions = { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS };
  if (blockStorage) {
    // A profile whose content setting blocks cookies and site data for every site (what a person
    // sets in chrome://settings/content/siteData): localStorage and sessionStorage throw.
    const dir = mkdtempSync(join(tmpdir(), 'portal-wtr-chromium-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, 'Default'));
    writeFileSync(join(dir, 'Default', 'Preferences'), JSON.stringify({ profile: { default_content_setting_values: { cookies: 2 } } }));
    launchOptions.userDataDir = dir;
  }
  return chromeLauncher({ launchOptions });
}

function firefox({ blockStorage = false } = {}) {
  return chromeLauncher({ puppeteer: require('puppeteer-core'), launchOptions: firefoxLaunchOptions(blockStorage ? FIREFOX_BLOCK_STORAGE : {}) });
}

function webkit({ blockStorage = false } = {}) {
  const { port } = blockStorage ? webkitBlockedDriver : webkitDriver;
  return webdriverLauncher({ hostname: '127.0.0.1', port, path: '/', logLevel: 'error', capabilities: webkitCapabilities({ blockStorage }) });
}

const make = { chromium, firefox, webkit };

/** The engine a wtr browser launcher runs (its `type` and `name`). */
function engineOf(browser) {
  if (browser.type === 'webdriver') return 'webkit';
  return /firefox/i.test(browser.name) ? 'firefox' : 'chromium';
}
const browsers = engines.map((engine) => make[engine]());

/** One group per test file (`npx wtr --group login`); files of one component share its prefix. */
const groups = readdirSync('test/components')
  .filter((f) => f.endsWith('.test.ts'))
  .sort()
  .map((f) => ({ name: f.replace(/\.test\.ts$/, ''), files: `test/components/${f}` }));

// The same storage-refused checks in real browsers set to refuse site data: Firefox "block all
// cookies", Chromium with site data blocked. MiniBrowser's one setting turns off localStorage only
// (sessionStorage stays), which blocked-local/ checks.
const blocked = engines.filter((e) => e !== 'webkit').map((engine) => make[engine]({ blockStorage: true }));
if (blocked.length > 0) groups.push({ name: 'storage-blocked', files: 'test/components/blocked/*.test.ts', browsers: blocked });
if (engines.includes('webkit'))
  groups.push({ name: 'storage-blocked-local', files: 'test/components/blocked-local/*.test.ts', browsers: [webkit({ blockStorage: true })] });

export default {
  port,
  hostname: '127.0.0.1',
  nodeResolve: { exportConditions: ['production'] },
  concurrency: 1,
  // Two engines at a time (wtr's default), then the third: on 2 cores, all three at once took as long
  // (about 200 s either way) and pushed real sign-ins past the tests' 1 s waits.
  concurrentBrowsers: 2,
  groups,
  plugins: [
    apiLifecycle(),
    {
      name: 'webkit-driver',
      serverStop() {
        webkitDriver?.stop();
        webkitBlockedDriver?.stop();
      },
    },
    strictCspPage(),
    qrcodeEsm(),
    reactEsm(),
    esbuildPlugin({ ts: true, target: 'auto', tsconfig: './tsconfig.json' }),
  ],
  browsers,
  testRunnerHtml: (testFramework) => `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>portal-widgets tests</title></head>
  <body>
    <script>window.__PORTAL_API__ = ${JSON.stringify(apiUrl)}; window.__PORTAL_API_RATE_LIMITED__ = ${JSON.stringify(limitedApiUrl)};</script>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
  testFramework: { config: { timeout: 15000 } },
  reporters: [defaultReporter(), resultsFileReporter()],
};
