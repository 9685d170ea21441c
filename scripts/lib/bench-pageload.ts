/**
 * `npm run bench`, page load (issue 15): the demo donation page (demo/donate.html with the built
 * library in place of the demo's own script), cold cache (a new browser context each run), 4× CPU
 * throttle (Chromium's `Emulation.setCPUThrottlingRate`), nothing stored. Per build:
 *
 * - first contentful paint (the Paint Timing entry);
 * - the widget's first frame: the first animation frame in which `<portal-login>` has rendered
 *   anything, and whether its sign-in form (the email input) is already there in that frame;
 * - the form's frame: the first animation frame with the email input present (navigation → form);
 * - JS requests that started before first paint (Resource Timing), and all JS requests until the form.
 *
 * The two builds: our lazy build (`dist/portal-widgets.js` and its chunks) and our one-file bundle
 * (`dist/portal-widgets.bundle.js`), which stands in for a one-file vendor widget as the same-run
 * reference. Times are ms from navigation start; medians over interleaved runs.
 */
import type { Browser } from 'playwright-core';

export interface PageLoadRun {
  fcp: number;
  widgetFrame: number;
  formFrame: number;
  formInFirstFrame: boolean;
  jsBeforePaint: number;
  jsUntilForm: number;
}

/**
 * Runs before any page script: records the first frames in which the login rendered something and its
 * form. A string, not a function: tsx's esbuild would wrap a serialized function's inner names in a
 * `__name` helper the page does not have.
 */
const FRAME_PROBE = `(() => {
  const probe = {};
  window.__benchProbe = probe;
  const tick = () => {
    const login = document.querySelector('portal-login');
    const form = !!(login && login.querySelector('input[name=email]'));
    const now = performance.now();
    if (login && login.firstElementChild && probe.widgetFrame === undefined) {
      probe.widgetFrame = now;
      probe.formInFirstFrame = form;
    }
    if (form) probe.formFrame = now;
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

/** One cold load of `url` at `cpu`× throttle. */
export async function loadOnce(browser: Browser, url: string, cpu = 4): Promise<PageLoadRun> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    if (process.env.BENCH_DEBUG) {
      page.on('console', (m) => console.error('[page]', m.type(), m.text()));
      page.on('pageerror', (e) => console.error('[page error]', e.message));
    }
    await page.addInitScript({ content: FRAME_PROBE });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(
      () => (window as unknown as { __benchProbe: { formFrame?: number } }).__benchProbe.formFrame !== undefined,
      undefined,
      {
        polling: 100,
        timeout: 30_000,
      },
    );
    if (process.env.BENCH_DEBUG) {
      const js = await page.evaluate(() =>
        (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
          .filter((e) => new URL(e.name).pathname.endsWith('.js'))
          .map((e) => `${new URL(e.name).pathname} ${e.startTime.toFixed(0)}–${e.responseEnd.toFixed(0)} ms`),
      );
      console.error(`[js] ${url}\n  ${js.join('\n  ')}`);
    }
    return await page.evaluate(() => {
      const probe = (window as unknown as { __benchProbe: { widgetFrame: number; formFrame: number; formInFirstFrame: boolean } }).__benchProbe;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN;
      const js = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => new URL(e.name).pathname.endsWith('.js'));
      return {
        fcp,
        widgetFrame: probe.widgetFrame,
        formFrame: probe.formFrame,
        formInFirstFrame: probe.formInFirstFrame,
        jsBeforePaint: js.filter((e) => e.startTime < fcp).length,
        jsUntilForm: js.filter((e) => e.startTime < probe.formFrame).length,
      };
    });
  } finally {
    await context.close();
  }
}

/** Interleaved cold loads of each variant (`name → url`), `runs` each, the order alternating per run. */
export async function benchPageLoad(
  browser: Browser,
  variants: Record<string, string>,
  runs: number,
  cpu = 4,
): Promise<Record<string, PageLoadRun[]>> {
  const names = Object.keys(variants);
  const out: Record<string, PageLoadRun[]> = Object.fromEntries(names.map((n) => [n, []]));
  // One unmeasured load each first: the server's and the browser's own first-time costs.
  for (const n of names) await loadOnce(browser, variants[n]!, cpu);
  for (let i = 0; i < runs; i++) {
    const order = i % 2 ? [...names].reverse() : names;
    for (const n of order) out[n]!.push(await loadOnce(browser, variants[n]!, cpu));
  }
  return out;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return Number.NaN;
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Prints the page-load table: medians, with each build's ratio to the reference (the one-file bundle). */
export function printPageLoad(title: string, results: Record<string, PageLoadRun[]>, reference: string): void {
  const names = Object.keys(results);
  const med = (n: string, k: keyof PageLoadRun) => median(results[n]!.map((r) => Number(r[k])));
  const ms = (v: number) => (Number.isNaN(v) ? 'n/a' : `${v.toFixed(0)} ms`);
  const ratio = (n: string, k: keyof PageLoadRun) => (n === reference ? '(reference)' : `${(med(n, k) / med(reference, k)).toFixed(2)}×`);
  console.log(`\n${title}`);
  const rows: [string, (n: string) => string][] = [
    ['first contentful paint', (n) => `${ms(med(n, 'fcp'))} ${ratio(n, 'fcp')}`],
    ["widget's first frame (login rendered)", (n) => `${ms(med(n, 'widgetFrame'))} ${ratio(n, 'widgetFrame')}`],
    ['sign-in form on screen (navigation → form)', (n) => `${ms(med(n, 'formFrame'))} ${ratio(n, 'formFrame')}`],
    ["form in the widget's first frame", (n) => `${results[n]!.filter((r) => r.formInFirstFrame).length}/${results[n]!.length} runs`],
    ['JS requests before first paint', (n) => String(med(n, 'jsBeforePaint'))],
    ['JS requests until the form', (n) => String(med(n, 'jsUntilForm'))],
  ];
  console.log(`  ${''.padEnd(44)}${names.map((n) => n.padEnd(38)).join('')}`);
  for (const [label, cell] of rows) console.log(`  ${label.padEnd(44)}${names.map((n) => cell(n).padEnd(38)).join('')}`);
}
