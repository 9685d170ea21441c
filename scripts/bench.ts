/**
 * `npm run bench`: figures against DESIGN §8, measured in Debian's Chromium on the built library
 * (`dist/`, minified, as a page would load it) and the real reference API (in memory). Prints tables;
 * asserts nothing — behaviour is the tests' job.
 *
 *   1. Per element: definition (import of its module) and first render (create, connect, first update).
 *   2. "Sign in" click → purchaser form filled: wall time and the count of API requests it took.
 *   3. The autofill corpus (scripts/bench-autofill.ts): purchaser fields filled / expected and wrong
 *      fills over every fixture, and the engine's own time for one pass on the largest.
 *      Chromium does not report CORS preflights to Playwright, so they are not counted; the API sends
 *      `Access-Control-Max-Age: 600`, so a browser sends at most one per ten minutes per request shape.
 *
 * Each figure is the median of repeated runs (RUNS, default 15), each in a fresh page.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib/browser.ts';
import { ROOT, freePort, run, startApi } from './lib/proc.ts';
import { benchAutofill, printAutofill } from './bench-autofill.ts';

const RUNS = Number(process.env.RUNS ?? 15);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const build = await run(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn']);
if (build !== 0) process.exit(build);

const pagePort = await freePort();
const pageOrigin = `http://127.0.0.1:${pagePort}`;
const api = await startApi({ PORT: '0', DATA_DIR: 'memory', NODE_ENV: 'development', PORTAL_DEV_ORIGINS: pageOrigin, RATE_LIMITS: 'off' });

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

const types: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html', '.map': 'application/json' };
const server: Server = createServer(async (req, res) => {
  const path = new URL(req.url ?? '/', pageOrigin).pathname;
  if (path === '/' || path === '/signin.html') {
    res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE(api.url));
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
try {
  // 1. Definition and first render of each element.
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
      renderTimes[tag].push(ms);
    }
    await page.close();
  }

  // 2. "Sign in" click → purchaser form filled.
  const email = `bench-${Date.now()}@example.org`;
  const password = 'correct horse battery staple';
  const fx = await fetch(`${api.url}/dev/orgs/riverside-arts/fixtures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ firstName: 'Bench', lastName: 'Marker', email, password }),
  });
  if (!fx.ok) throw new Error(`fixture failed: ${fx.status} ${await fx.text()}`);
  const signIn: number[] = [];
  const requests: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext();
    const page: Page = await context.newPage();
    await page.goto(`${pageOrigin}/signin.html`);
    if (process.env.BENCH_DEBUG) {
      page.on('console', (m) => console.error('[page]', m.type(), m.text()));
      page.on('pageerror', (e) => console.error('[page error]', e.message));
    }
    const loginEmail = page.locator('portal-login input[name="email"]');
    await loginEmail.fill(email);
    await page.locator('portal-login input[type="password"]').first().fill(password);
    let count = 0;
    page.on('request', (r) => {
      if (r.url().startsWith(api.url)) count++;
    });
    const submit = page.locator('portal-login button[type="submit"]').first();
    const ms = await page.evaluate(async () => {
      const given = document.getElementById('g') as HTMLInputElement;
      const button = document.querySelector('portal-login button[type="submit"]') as HTMLButtonElement;
      const t0 = performance.now();
      const filled = new Promise<number>((resolve) => {
        given.addEventListener('input', () => resolve(performance.now() - t0), { once: true });
      });
      button.click();
      return filled;
    });
    void submit;
    signIn.push(ms);
    requests.push(count);
    await context.close();
  }

  const fmt = (n: number) => (Number.isNaN(n) ? 'n/a' : `${n.toFixed(2)} ms`);
  console.log(`\nChromium ${browser.version()}, median of ${RUNS} runs, minified build from dist/\n`);
  console.log('element               first render (create + connect + first update; lazy ones include loading their chunk)');
  for (const tag of tags) console.log(`${tag.padEnd(22)}${fmt(median(renderTimes[tag]))}`);
  console.log(`\nimport + define of the entry (provider, login, autofill; sign-up and QR lazy): ${fmt(median(defineTimes))}`);
  console.log('\n"Sign in" click → purchaser form filled');
  console.log(`  wall time:          ${fmt(median(signIn))} (loopback API, argon2id m=19456 t=2 verify included)`);
  console.log(`  API requests:       ${median(requests)} (target: 1 round trip)`);
  console.log('  (CORS preflights are not visible here; Access-Control-Max-Age 600 s caches them)');

  // 3. The autofill corpus (issue #10): own fields filled, wrong fills, the engine's own time.
  printAutofill(await benchAutofill(browser));
} finally {
  await browser.close();
  server.close();
  await api.stop();
}
