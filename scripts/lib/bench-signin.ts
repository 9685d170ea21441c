/**
 * `npm run bench`, "Sign in" click → purchaser fields filled (issue 15, DESIGN §8), on a fresh page
 * (new browser context: no socket, no preflight cache, nothing stored) and a repeat on the same page
 * (signed out, then in again), at each added round-trip time of an {@link RttProxy} between the page
 * and the API. Two variants, interleaved in one run:
 *
 * - `warm-up`: the library as built — its first keystroke sends the connection/preflight warm-up
 *   (src/api/warm.ts);
 * - `no warm-up`: the same build with that one request answered in the page without going out (an init
 *   script wraps `fetch` and drops `OPTIONS`): the same-run reference, what the page cost before.
 *
 * Three sign-ins: `first` on a fresh page whose start-up request (the elements' configuration check)
 * left a connection open; `first, socket closed`, the same after the proxy closed every connection once
 * the page settled — the server's keep-alive timeout passed while the person read the page, so there is
 * a connection to open as well; `repeat`, signed out and in again on the same page.
 *
 * The person's steps: the page loads and settles (its own start-up requests end), the email and the
 * password are typed (Playwright `fill`: focus + input events), a pause stands in for the rest of the
 * typing (300 ms + 4 RTT), then "Sign in" is clicked. Wall time runs from the click to the first
 * purchaser input's `input` event (the autofill filled it); the proxy counts the connections opened
 * and the requests (preflights included) between the click and that moment.
 */
import type { Browser, Page } from 'playwright-core';
import type { RttProxy } from './rtt-proxy.ts';

export interface SignInRun {
  ms: number;
  requests: number;
  preflights: number;
  connections: number;
}

export type Variant = 'warm-up' | 'no warm-up';

function dropWarmUp(): void {
  const real = window.fetch.bind(window);
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) =>
    init?.method === 'OPTIONS' ? Promise.resolve(new Response(null, { status: 204 })) : real(input, init);
}

/** Types the credentials, waits as a person would, clicks "Sign in"; resolves when the purchaser form is filled. */
async function signIn(page: Page, proxy: RttProxy, email: string, password: string): Promise<SignInRun> {
  await page.locator('portal-login input[name="email"]').fill(email);
  await page.locator('portal-login input[name="password"]').fill(password);
  await page.waitForTimeout(300 + 4 * proxy.rtt);
  const seen = proxy.requests.length;
  const opened = proxy.connections;
  const ms = await page.evaluate(async () => {
    const given = document.getElementById('g') as HTMLInputElement;
    const button = document.querySelector('portal-login button[type="submit"]') as HTMLButtonElement;
    const filled = new Promise<number>((resolve) => {
      given.addEventListener('input', () => resolve(performance.now() - t0), { once: true });
    });
    const t0 = performance.now();
    button.click();
    return filled;
  });
  const during = proxy.requests.slice(seen);
  return { ms, requests: during.length, preflights: during.filter((r) => r.preflight).length, connections: proxy.connections - opened };
}

/** One fresh page: the first sign-in, sign-out, a repeat sign-in (or, with `closeIdle`, only a first sign-in after the sockets closed). */
export async function signInOnce(
  browser: Browser,
  proxy: RttProxy,
  pageUrl: string,
  variant: Variant,
  email: string,
  password: string,
  closeIdle = false,
): Promise<{ first: SignInRun; repeat?: SignInRun }> {
  const context = await browser.newContext();
  try {
    if (variant === 'no warm-up') await context.addInitScript(dropWarmUp);
    const page = await context.newPage();
    if (process.env.BENCH_DEBUG) {
      page.on('console', (m) => console.error('[page]', m.type(), m.text()));
      page.on('pageerror', (e) => console.error('[page error]', e.message));
    }
    await page.goto(pageUrl, { waitUntil: 'networkidle' });
    if (closeIdle) {
      proxy.dropConnections();
      return { first: await signIn(page, proxy, email, password) };
    }
    const first = await signIn(page, proxy, email, password);
    await page.locator('portal-login .portal-signed-in').waitFor();
    await page.locator('portal-login button.portal-primary').click();
    await page.locator('portal-login input[name="email"]').waitFor();
    await page.waitForLoadState('networkidle');
    const repeat = await signIn(page, proxy, email, password);
    return { first, repeat };
  } finally {
    await context.close();
  }
}

export const SIGN_INS = ['first', 'first, socket closed', 'repeat'] as const;
export type SignInKind = (typeof SIGN_INS)[number];
export type SignInResults = Record<number, Record<Variant, Record<SignInKind, SignInRun[]>>>;

/** Interleaved runs: each run goes through every RTT and both variants (their order alternating). */
export async function benchSignIn(
  browser: Browser,
  proxy: RttProxy,
  pageUrl: string,
  rtts: number[],
  runs: number,
  email: string,
  password: string,
): Promise<SignInResults> {
  const variants: Variant[] = ['warm-up', 'no warm-up'];
  const empty = () => ({ first: [], 'first, socket closed': [], repeat: [] }) as Record<SignInKind, SignInRun[]>;
  const out: SignInResults = {};
  for (const rtt of rtts) out[rtt] = { 'warm-up': empty(), 'no warm-up': empty() };
  await signInOnce(browser, proxy, pageUrl, 'warm-up', email, password); // unmeasured: first-time costs
  for (let i = 0; i < runs; i++) {
    for (const rtt of rtts) {
      proxy.rtt = rtt;
      for (const v of i % 2 ? [...variants].reverse() : variants) {
        const r = await signInOnce(browser, proxy, pageUrl, v, email, password);
        out[rtt]![v].first.push(r.first);
        out[rtt]![v].repeat.push(r.repeat!);
        const cold = await signInOnce(browser, proxy, pageUrl, v, email, password, true);
        out[rtt]![v]['first, socket closed'].push(cold.first);
      }
    }
  }
  proxy.rtt = 0;
  return out;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return Number.NaN;
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Prints the table: per RTT, variant and sign-in, wall time, round trips (wall ÷ RTT; and latency alone), requests. */
export function printSignIn(results: SignInResults): void {
  console.log('\n"Sign in" click → purchaser fields filled (argon2id verify on the loopback API included; proxy adds the RTT)');
  console.log(
    `  ${'RTT'.padEnd(8)}${'variant'.padEnd(13)}${'sign-in'.padEnd(23)}${'wall'.padEnd(11)}${'wall÷RTT'.padEnd(10)}${'(wall − 0 ms wall)÷RTT'.padEnd(24)}${'requests (preflights)'.padEnd(23)}${'new connections'.padEnd(17)}round trips counted`,
  );
  const base = results[0];
  for (const [rttText, byVariant] of Object.entries(results)) {
    const rtt = Number(rttText);
    for (const [variant, runs] of Object.entries(byVariant) as [Variant, Record<SignInKind, SignInRun[]>][]) {
      for (const which of SIGN_INS) {
        const rs = runs[which];
        const wall = median(rs.map((r) => r.ms));
        const zero = base ? median(base[variant][which].map((r) => r.ms)) : Number.NaN;
        const rt = rtt > 0 ? (wall / rtt).toFixed(2) : 'n/a';
        const latency = rtt > 0 && !Number.isNaN(zero) ? ((wall - zero) / rtt).toFixed(2) : 'n/a';
        const req = `${median(rs.map((r) => r.requests))} (${median(rs.map((r) => r.preflights))})`;
        console.log(
          `  ${`${rtt} ms`.padEnd(8)}${variant.padEnd(13)}${which.padEnd(23)}${`${wall.toFixed(1)} ms`.padEnd(11)}${rt.padEnd(10)}${latency.padEnd(24)}${req.padEnd(23)}${String(median(rs.map((r) => r.connections))).padEnd(17)}${median(rs.map((r) => r.connections + r.requests))}`,
        );
      }
    }
  }
  console.log('  (wall − 0 ms wall)÷RTT: the round trips the added latency cost, the hash taken out (noisy on a loaded machine).');
  console.log('  round trips counted: new connections + requests between the click and the fill (each waits on the one before).');
}
