/**
 * The library under a strict Content-Security-Policy (DESIGN §5: no inline script or style, no eval;
 * plus Trusted Types). `demo/csp.html` is served with the policy as a real response header, loading
 * a fresh build of the library (Vite's dev server would inject its own scripts). In Chromium: sign in
 * with a fixture account → the purchaser form fills → sign out → open sign-up (lazy chunk) → show the
 * QR code (lazy chunk); not one `securitypolicyviolation` event, console error or page error.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/lib/browser.ts';
import { ROOT } from '../../scripts/lib/proc.ts';
import { startCspDemo, strictCsp } from '../../scripts/lib/csp-site.ts';
import { pgliteCopy } from '../../scripts/lib/pglite-template.mjs';
import { createPerson, watch } from './support.ts';

let demo: Awaited<ReturnType<typeof startCspDemo>>;
let browser: Browser;
let database: Awaited<ReturnType<typeof pgliteCopy>>;

before(async () => {
  mkdirSync(join(ROOT, '.tmp', 'screenshots'), { recursive: true });
  database = await pgliteCopy();
  [demo, browser] = await Promise.all([
    startCspDemo({ dataDir: database.dir }),
    chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS }),
  ]);
});

after(async () => {
  await browser?.close();
  await demo?.close();
  database?.remove();
});

interface Violation {
  directive: string;
  blocked: string;
  source: string;
  line: number;
  sample: string;
}

/** Records every CSP violation the document reports (the listener is added before any page script runs). */
async function recordViolations(page: Page): Promise<() => Promise<Violation[]>> {
  await page.addInitScript(() => {
    const list: unknown[] = [];
    (window as unknown as { __csp: unknown[] }).__csp = list;
    document.addEventListener('securitypolicyviolation', (e) =>
      list.push({ directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber, sample: e.sample }),
    );
  });
  return () => page.evaluate(() => (window as unknown as { __csp: Violation[] }).__csp ?? []);
}

describe('strict CSP', () => {
  test('the page is served with the policy as a response header and has nothing inline', async () => {
    const res = await fetch(`${demo.site.url}/csp.html`);
    assert.equal(res.status, 200);
    const policy = res.headers.get('content-security-policy');
    assert.equal(policy, strictCsp(new URL(demo.api.url).origin));
    assert.match(policy!, /script-src 'self';/);
    assert.doesNotMatch(policy!, /unsafe-(inline|eval)/);
    const html = await res.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'no inline <script>');
    assert.doesNotMatch(html, /<style[\s>]/i, 'no <style> element');
    assert.doesNotMatch(html, /\sstyle=/i, 'no style attribute');
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handler');
    assert.ok(!html.includes('%PORTAL_API%'), 'the API address is filled in');
  });

  test('sign in, autofill, sign out, sign-up and QR (lazy chunks) run without a single violation', async () => {
    const person = await createPerson(demo.api.url, { firstName: 'Imogen', lastName: 'Strict' });
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watch(page);
    const violations = await recordViolations(page);
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });

    const response = await page.goto(`${demo.site.url}/csp.html`);
    assert.ok(response?.headers()['content-security-policy']?.includes("require-trusted-types-for 'script'"));
    const login = page.locator('portal-login');
    await login.getByRole('button', { name: 'Sign in' }).waitFor();
    assert.ok(scripts.includes('/dist/portal-widgets.js'), 'the built library is what runs');
    assert.ok(!scripts.some((s) => /\/chunks\/(signup|qr)-[\w-]{8}\.js$/.test(s)), 'sign-up and QR are not loaded up front');

    // Sign in → the purchaser form is filled from the record.
    await login.getByLabel('Email').fill(person.email);
    await login.getByLabel('Password').fill(person.password);
    await login.getByRole('button', { name: 'Sign in' }).click();
    await login.getByText('Signed in as Imogen Strict').waitFor();
    await page.waitForFunction(() => (document.getElementById('d-given') as HTMLInputElement).value === 'Imogen');
    assert.equal(await page.inputValue('#d-family'), 'Strict');
    assert.equal(await page.inputValue('#d-email'), person.email);
    assert.equal(await page.inputValue('#d-zip'), '92501');
    assert.equal(await page.inputValue('#d-country'), 'US');
    assert.ok(await page.locator('#d-given[data-portal-filled]').count(), 'the filled field is marked');

    // Sign out → the values the widget filled are gone.
    await login.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForFunction(() => (document.getElementById('d-given') as HTMLInputElement).value === '');
    assert.equal(await page.inputValue('#d-email'), '');

    // Sign-up: a lazy chunk, rendered with Lit under Trusted Types.
    await login.getByRole('button', { name: 'Create an account' }).click();
    const signup = page.locator('portal-signup form');
    await signup.getByRole('button', { name: 'Create account' }).waitFor();
    await signup.getByLabel('Company').check();
    await signup.getByLabel('Company name').waitFor();
    assert.ok(
      scripts.some((s) => /\/dist\/chunks\/signup-[\w-]{8}\.js$/.test(s)),
      'the sign-up chunk loaded on demand',
    );
    // A failed submit renders the field errors (more Lit templates) — still no violation.
    await signup.getByRole('button', { name: 'Create account' }).click();
    await signup.locator('[aria-invalid="true"]').first().waitFor();

    // The QR code: another lazy chunk (qrcode), drawn as SVG.
    await page.getByRole('button', { name: 'Show the portal QR code' }).click();
    const qr = page.locator('portal-qr svg[role="img"]');
    await qr.waitFor();
    assert.match((await qr.getAttribute('aria-label')) ?? '', /QR code/i);
    assert.ok(((await page.locator('portal-qr path.dark').getAttribute('d')) ?? '').length > 100, 'the QR path is drawn');
    assert.ok(
      scripts.some((s) => /\/dist\/chunks\/qr-[\w-]{8}\.js$/.test(s)),
      'the QR chunk loaded on demand',
    );

    await page.screenshot({ path: join(ROOT, '.tmp', 'screenshots', 'csp-signup-qr.png'), fullPage: true });

    assert.deepEqual(await violations(), []);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('the policy is really enforced here: a deliberate inline style, foreign image and innerHTML string are all caught', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watch(page);
    const violations = await recordViolations(page);
    await page.goto(`${demo.site.url}/csp.html`);
    await page.locator('portal-login').getByRole('button', { name: 'Sign in' }).waitFor();
    const outcome = await page.evaluate(() => {
      const div = document.createElement('div');
      div.setAttribute('style', 'color: red');
      document.body.append(div);
      const img = document.createElement('img');
      img.src = 'https://example.invalid/pixel.png';
      document.body.append(img);
      let htmlBlocked = false;
      try {
        div.innerHTML = '<b>x</b>';
      } catch {
        htmlBlocked = true;
      }
      return { htmlBlocked };
    });
    assert.deepEqual(outcome, { htmlBlocked: true });
    await page.waitForFunction(() => (window as unknown as { __csp: unknown[] }).__csp.length >= 3);
    const directives = (await violations()).map((v) => v.directive).sort();
    assert.deepEqual(directives, ['img-src', 'require-trusted-types-for', 'style-src-attr']);
    assert.ok(
      problems.some((p) => /Content Security Policy|Trusted Type/i.test(p)),
      'Chromium also logs the refusals',
    );
    await context.close();
  });
});
