/**
 * `npm run bench`: figures against DESIGN §8, measured in Debian's Chromium on the built library
 * (`dist/`, minified, as a page would load it) and the real reference API (in memory). Prints tables;
 * asserts nothing — behaviour is the tests' job.
 *
 *   1. Per element: definition (import of its module) and first render (create, connect, first update).
 *   2. "Sign in" click → purchaser form filled, on a fresh page and a repeat, at 0 and 100 ms of added
 *      round-trip time (a TCP proxy, scripts/lib/rtt-proxy.ts), with and without the connection and
 *      preflight warm-up (src/api/warm.ts): wall time, round trips, requests (preflights counted by the
 *      proxy, which sees what the server sees), new connections. scripts/lib/bench-signin.ts.
 *   3. Page load of the demo donation page at 4× CPU throttle, cold cache: first contentful paint, the
 *      widget's first frame, the sign-in form on screen, JS requests before first paint — our lazy
 *      build beside our one-file bundle (the same-run reference). scripts/lib/bench-pageload.ts.
 *   4. The autofill corpus (scripts/bench-autofill.ts): purchaser fields filled / expected and wrong
 *      fills over every fixture, and the engine's own time for one pass on the largest.
 *
 * Each figure is the median of repeated runs (RUNS, default 15; PAGE_RUNS and SIGNIN_RUNS override it
 * for sections 3 and 2), variants interleaved, each run in a fresh browser context.
 * SIGNIN_RTTS (default `0,100`) and PAGE_RTTS (default `0,100`) choose the added round-trip times.
 * BENCH_ONLY=signin,pageload (any of element, signin, pageload, autofill) runs only those sections.
 * PAGE_BEFORE_DIST=<dir> adds a third page-load column in the same run: the lazy build in that folder
 * (a `dist/` built from an earlier commit, e.g. `git archive <rev> | tar -x -C /tmp/x`, then
 * `npx vite build` there), served under /before/.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib/browser.ts';
import { ROOT, freePort, run, startApi } from './lib/proc.ts';
import { benchAutofill, printAutofill } from './bench-autofill.ts';
import { startRttProxy } from './lib/rtt-proxy.ts';
import { benchSignIn, printSignIn } from './lib/bench-signin.ts';
import { benchPageLoad, printPageLoad } from './lib/bench-pageload.ts';

const RUNS = Number(process.env.RUNS ?? 15);
const SIGNIN_RUNS = Number(process.env.SIGNIN_RUNS ?? RUNS);
const PAGE_RUNS = Number(process.env.PAGE_RUNS ?? RUNS);
const rttList = (v: string | undefined) => (v ?? '0,100').split(',').map(Number);
const SIGNIN_RTTS = rttList(process.env.SIGNIN_RTTS);
const PAGE_RTTS = rttList(process.env.PAGE_RTTS);
const BEFORE_DIST = process.env.PAGE_BEFORE_DIST ? normalize(process.env.PAGE_BEFORE_DIST) : undefined;
const only = new Set((process.env.BENCH_ONLY ?? 'element,signin,pageload,autofill').split(','));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// The lazy build, then the one-file bundle beside it (the page-load reference), as `npm run build` does.
for (const args of [[], ['--mode', 'bundle']]) {
  const build = await run(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', ...args, '--logLevel', 'warn']);
  if (build !== 0) process.exit(build);
}

const pagePort = await freePort();
const pageOrigin = `http://127.0.0.1:${pagePort}`;
// The page server behind its own RTT proxy too (page load at an added RTT): its origin must be allowed.
const pageProxy = await startRttProxy(pageOrigin);
const api = await startApi({
  PORT: '0',
  DATA_DIR: 'memory',
  NODE_ENV: 'development',
  PORTAL_DEV_ORIGINS: `${pageOrigin},${pageProxy.url}`,
  RATE_LIMITS: 'off',
});
const apiProxy = await startRttProxy(api.url);
const donate = await readFile(join(ROOT, 'demo/donate.html'), 'utf8');
/** demo/donate.html with the built library (lazy entry or one-file bundle) in place of the demo's own script. */
const DONATE = (apiUrl: string, script: string) =>
  donate
    .replace(/<script type="module" src="[^"]*"><\/script>/, `<script type="module" src="/${script}"></script>`)
    .replaceAll('%PORTAL_API%', apiUrl)
    .replaceAll('%PORTAL_ORG%', 'riverside-arts');

const PAGE = (apiUrl: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>
<script type="module" src="/portal-widgets.js"></script></head>
<body><portal-provider api="${apiUrl}" org="riverside-arts">
<portal-login></portal-login>
<purchaser-autofill><form id="f">
<label for="g">First name</label><input id="g" name="first" autocomplete="given-name">
<label for="l">Last name</label><input id="l" name="last" autocomplete="family-name">
<label for="e">Email</label><input id="e" name="email" autocomplete="email">
</form></purchaser-autofill>
</portal-provider></body></html>`;

const types: Record<string, string> = {
  '.js': 'text/javascript',
  '.html': 'text/html',
  '.map': 'application/json',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};
const server: Server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', pageOrigin);
  const path = url.pathname;
  // The sign-in page talks to the API through the RTT proxy; ?direct=1 skips it.
  const apiFor = url.searchParams.get('direct') ? api.url : apiProxy.url;
  if (path === '/' || path === '/signin.html') {
    res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE(apiFor));
    return;
  }
  if (path === '/donate.html' || path === '/donate-bundle.html') {
    const script = path === '/donate.html' ? 'portal-widgets.js' : 'portal-widgets.bundle.js';
    res.writeHead(200, { 'content-type': 'text/html' }).end(DONATE(apiFor, script));
    return;
  }
  if (path === '/donate-before.html' && BEFORE_DIST) {
    res.writeHead(200, { 'content-type': 'text/html' }).end(DONATE(apiFor, 'before/portal-widgets.js'));
    return;
  }
  if (path.startsWith('/before/') && BEFORE_DIST) {
    const file = normalize(join(BEFORE_DIST, path.slice('/before/'.length)));
    if (!file.startsWith(BEFORE_DIST)) return void res.writeHead(403).end();
    const body = await readFile(file).catch(() => undefined);
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
    return;
  }
  if (path === '/assets/demo.css' || path === '/favicon.svg') {
    const file = join(ROOT, 'demo', path);
    res.writeHead(200, { 'content-type': types[extname(file)]! }).end(await readFile(file));
    return;
  }
  if (path === '/empty.html') {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html lang="en"><body></body></html>');
    return;
  }
  const file = normalize(join(ROOT, 'dist', path));
  if (!file.startsWith(join(ROOT, 'dist'))) return void res.writeHead(403).end();
  const body = await readFile(file).catch(() => undefined);
  if (!body) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
});
await new Promise<void>((r) => server.listen(pagePort, '127.0.0.1', r));

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const fmt = (n: number) => (Number.isNaN(n) ? 'n/a' : `${n.toFixed(2)} ms`);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
try {
  console.log(`\nChromium ${browser.version()}, minified build from dist/, load average ${load()} (2 cores shared: read ratios, not absolutes)`);

  // 1. Definition and first render of each element.
  if (only.has('element')) {
    const tags = ['portal-provider', 'portal-login', 'portal-signup', 'portal-qr', 'purchaser-autofill'];
    const defineTimes: number[] = [];
    const renderTimes: Record<string, number[]> = Object.fromEntries(tags.map((t) => [t, []]));
    for (let i = 0; i < RUNS; i++) {
      const page = await browser.newPage();
      await page.goto(`${pageOrigin}/empty.html`);
      defineTimes.push(
        await page.evaluate(async () => {
          const t0 = performance.now();
          const entry = '/portal-widgets.js'; // served from dist/; a variable keeps tsc from resolving it
          await import(/* @vite-ignore */ entry);
          return performance.now() - t0;
        }),
      );
      for (const tag of tags) {
        const ms = await page.evaluate(
          async ({ tag, apiUrl }) => {
            // Lazy tags (sign-up, QR) are defined by the autoloader once they appear, so the figure for
            // them includes fetching their chunk: what a page pays the first time it shows them.
            const t0 = performance.now();
            const el = document.createElement(tag) as HTMLElement & { updateComplete?: Promise<unknown> };
            el.setAttribute('api', apiUrl);
            el.setAttribute('org', 'riverside-arts');
            if (tag === 'portal-qr') el.setAttribute('value', 'https://example.org/portal');
            document.body.append(el);
            await customElements.whenDefined(tag);
            await el.updateComplete;
            const ms = performance.now() - t0;
            el.remove();
            return ms;
          },
          { tag, apiUrl: api.url },
        );
        renderTimes[tag]!.push(ms);
      }
      await page.close();
    }
    console.log(`\nmedian of ${RUNS} runs`);
    console.log('element               first render (create + connect + first update; lazy ones include loading their chunk)');
    for (const tag of tags) console.log(`${tag.padEnd(22)}${fmt(median(renderTimes[tag]!))}`);
    console.log(`\nimport + define of the entry (provider, login, autofill; sign-up and QR lazy): ${fmt(median(defineTimes))}`);
  }

  // 2. "Sign in" click → purchaser form filled, fresh page and repeat, with and without the warm-up.
  if (only.has('signin')) {
    const email = `bench-${Date.now()}@example.org`;
    const password = 'correct horse battery staple';
    const fx = await fetch(`${api.url}/dev/orgs/riverside-arts/fixtures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ firstName: 'Bench', lastName: 'Marker', email, password }),
    });
    if (!fx.ok) throw new Error(`fixture failed: ${fx.status} ${await fx.text()}`);
    const results = await benchSignIn(browser, apiProxy, `${pageOrigin}/signin.html`, SIGNIN_RTTS, SIGNIN_RUNS, email, password);
    console.log(`\nmedian of ${SIGNIN_RUNS} runs per row, load average ${load()}`);
    printSignIn(results);
  }

  // 3. Page load: the donation page, 4× CPU, cold cache, lazy build vs one-file bundle.
  if (only.has('pageload')) {
    for (const rtt of PAGE_RTTS) {
      // Page and API both behind the RTT (a visitor far from both); 0 ms is loopback.
      pageProxy.rtt = rtt;
      apiProxy.rtt = rtt;
      const origin = rtt > 0 ? pageProxy.url : pageOrigin;
      const results = await benchPageLoad(
        browser,
        {
          ...(BEFORE_DIST ? { 'before (PAGE_BEFORE_DIST)': `${origin}/donate-before.html` } : {}),
          'lazy build (dist/portal-widgets.js)': `${origin}/donate.html`,
          'one-file bundle (reference)': `${origin}/donate-bundle.html`,
        },
        PAGE_RUNS,
      );
      printPageLoad(
        `Donation page load, 4× CPU throttle, cold cache, nothing stored, ${rtt} ms added RTT (median of ${PAGE_RUNS}; load average ${load()})`,
        results,
        'one-file bundle (reference)',
      );
    }
    pageProxy.rtt = 0;
    apiProxy.rtt = 0;
  }

  // 4. The autofill corpus (issue #10): own fields filled, wrong fills, the engine's own time.
  if (only.has('autofill')) printAutofill(await benchAutofill(browser));
} finally {
  await browser.close();
  server.close();
  await Promise.all([pageProxy.close(), apiProxy.close()]);
  await api.stop();
}
