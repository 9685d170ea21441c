/**
 * The journey in the other engines constituents use (issue 13): Firefox ESR over WebDriver BiDi
 * (puppeteer-core) and WebKitGTK, the engine behind Safari, over classic WebDriver (webdriverio +
 * MiniBrowser under Xvfb), against the running demo (reference API on an in-memory database + the
 * demo pages on their own origin):
 *   sign up on the donation page → the emailed link, opened as a fresh load → set a password →
 *   signed in, purchaser form filled → event page: still signed in, filled → sign out clears it →
 *   the portal page's QR code is drawn.
 * The full Chromium journey (and its other pages) stays in test/e2e on playwright-core.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FIREFOX_BLOCK_STORAGE } from '../../scripts/lib/engines.mjs';
import type { Stack } from '../../scripts/lib/stack.ts';
import { createPerson, startDemoStack } from '../e2e/support.ts';
import { firefoxDriver, waitFor, webkitDriver, type Driver } from './drivers.ts';

let stack: Stack;
before(async () => {
  stack = await startDemoStack();
});
after(async () => {
  await stack?.close();
});

/** Marks the button inside `scope` whose text is `label` and returns a selector for a real click. */
async function button(d: Driver, scope: string, label: string): Promise<string> {
  const id = await d.run(
    (scope: string, label: string) => {
      const found = [...document.querySelectorAll<HTMLButtonElement>(`${scope} button`)].find(
        (b) => (b.textContent ?? '').replace(/\s+/g, ' ').trim() === label,
      );
      if (!found) return '';
      found.dataset.journey ||= `${label.replace(/\W+/g, '-').toLowerCase()}-${String(Math.random()).slice(2, 8)}`;
      return found.dataset.journey;
    },
    scope,
    label,
  );
  assert.ok(id, `${d.engine}: no "${label}" button in ${scope}`);
  return `button[data-journey="${id}"]`;
}

const textOf = (selector: string) => (document.querySelector(selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
const valueOf = (id: string) => (document.getElementById(id) as HTMLInputElement | null)?.value ?? null;

/** The newest signup link mailed to `email`, from the reference API's development outbox. */
async function mailedLink(email: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${stack.apiUrl.replace(/\/?$/, '/')}dev/outbox?to=${encodeURIComponent(email)}`);
    if (res.ok) {
      const { messages } = (await res.json()) as { messages: Array<{ text: string }> };
      for (const m of messages.reverse()) {
        const link = /https?:\/\/\S+#portal-token=[\w-]+&portal-flow=signup/.exec(m.text)?.[0];
        if (link) return link;
      }
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`no sign-up link mailed to ${email}`);
}

async function journey(d: Driver): Promise<void> {
  const demo = stack.demoUrl;
  const email = `engines.${d.engine.replace(/\W+/g, '').toLowerCase()}.${Date.now()}@example.net`;

  // Sign up from the donation page.
  await d.goto(`${demo}/donate.html`);
  await waitFor(d, 'the sign-in form', () => document.querySelector('portal-login form input[name=email]') !== null);
  await d.click(await button(d, 'portal-login', 'Create an account'));
  await waitFor(d, 'the sign-up form', () => document.querySelector('portal-signup form input[name=firstName]') !== null);
  await d.click('portal-signup input[name=kind][value=individual]');
  await d.type('portal-signup input[name=firstName]', 'Rosa');
  await d.type('portal-signup input[name=lastName]', 'Delgado');
  await d.type('portal-signup input[name=email]', email);
  await d.click('portal-signup form button[type=submit]');
  await waitFor(d, '"Check your inbox"', (s: string) => (document.querySelector(s)?.textContent ?? '').includes('Check your inbox'), 'portal-signup');

  // The emailed link, opened as a fresh load (not a same-page fragment change).
  const link = await mailedLink(email);
  assert.equal(new URL(link).pathname, '/donate.html', 'the link leads back to the page the person signed up on');
  await d.goto('about:blank');
  await d.goto(link);
  await waitFor(d, 'the set-password step', () => document.querySelector('input[autocomplete="new-password"]') !== null);
  await d.type('input[autocomplete="new-password"]', 'river lanterns at dusk');
  // "This is my email address" (issue 9): the step names the account and sets no password until ticked.
  const confirm = 'portal-set-password input[name=confirmAccount]';
  await d.click(confirm);
  await waitFor(d, 'the account confirmed', (s: string) => (document.querySelector(s) as HTMLInputElement | null)?.checked === true, confirm);
  await d.click(await button(d, 'portal-login', 'Save password and sign in'));
  await waitFor(d, 'signed in', (s: string) => (document.querySelector(s)?.textContent ?? '').includes('Signed in as Rosa Delgado'), 'portal-login');
  assert.ok(!(await d.run(() => location.href)).includes('portal-token'), 'the token is stripped from the address bar');

  // The donation page's purchaser form is filled from the new record; payment fields untouched.
  await waitFor(d, 'the donation form filled', () => (document.getElementById('d-given') as HTMLInputElement | null)?.value === 'Rosa');
  assert.equal(await d.run(valueOf, 'd-family'), 'Delgado');
  assert.equal(await d.run(valueOf, 'd-email'), email);
  assert.equal(await d.run(valueOf, 'd-cc'), '', 'payment fields are never touched');

  // The event page, another page load: still signed in, filled.
  await d.goto(`${demo}/event.html`);
  await waitFor(
    d,
    'still signed in on the event page',
    (s: string) => (document.querySelector(s)?.textContent ?? '').includes('Signed in as Rosa Delgado'),
    'portal-login',
  );
  await waitFor(d, 'the event form filled', () => (document.getElementById('billing_first_name') as HTMLInputElement | null)?.value === 'Rosa');
  assert.equal(await d.run(valueOf, 'billing_email'), email);

  // Sign out clears what the widget filled, and a reload stays signed out.
  await d.click(await button(d, 'portal-login', 'Sign out'));
  await waitFor(d, 'the filled values cleared', () => (document.getElementById('billing_first_name') as HTMLInputElement | null)?.value === '');
  assert.equal(await d.run(valueOf, 'billing_email'), '');
  await waitFor(d, 'the sign-in form again', () => document.querySelector('portal-login form input[name=password]') !== null);
  assert.deepEqual(await d.pageErrors(), [], `${d.engine}: page errors on the event page`);
  await d.goto(`${demo}/event.html`);
  await waitFor(d, 'signed out after a reload', () => document.querySelector('portal-login form input[name=password]') !== null);
  assert.ok(!(await d.run(textOf, 'portal-login')).includes('Signed in as'));

  // The portal page's QR code is drawn.
  await d.goto(`${demo}/portal.html`);
  await waitFor(d, 'the QR code', () => {
    const root = document.querySelector('portal-qr')?.shadowRoot;
    const path = root?.querySelector('svg[role=img] path');
    return Boolean(path && (path.getAttribute('d') ?? '').length > 100);
  });
  const label = await d.run(() => document.querySelector('portal-qr')?.shadowRoot?.querySelector('svg[role=img]')?.getAttribute('aria-label') ?? '');
  assert.match(label, /QR code/i);
  assert.deepEqual(await d.pageErrors(), [], `${d.engine}: page errors on the portal page`);
}

describe('the journey in the other engines', () => {
  for (const [name, open] of [
    ['Firefox ESR (puppeteer-core, WebDriver BiDi)', firefoxDriver],
    ['WebKitGTK (webdriverio, WebKitWebDriver + MiniBrowser)', webkitDriver],
  ] as const) {
    test(`${name}: sign up on the donation page, confirm from the emailed link, filled, still signed in on the event page, sign out clears it, the portal QR shows`, async () => {
      const d = await open();
      try {
        await journey(d);
      } finally {
        await d.close();
      }
    });
  }
});

describe('a browser that refuses storage (Firefox "block all cookies")', () => {
  test('the donation page and its form render, sign-in works for the page, the widget says why it will not last', async () => {
    const person = await createPerson(stack.apiUrl.replace(/\/$/, ''), { firstName: 'Iris', lastName: 'Blocked' });
    const d = await firefoxDriver(FIREFOX_BLOCK_STORAGE);
    try {
      await d.goto(`${stack.demoUrl}/donate.html`);
      assert.equal(
        await d.run(() => {
          try {
            return localStorage === null;
          } catch {
            return 'refused';
          }
        }),
        'refused',
        'this browser really refuses storage',
      );
      await waitFor(d, 'the sign-in form', () => document.querySelector('portal-login form input[name=email]') !== null);
      assert.ok(
        await d.run(() => (document.getElementById('d-given')?.getBoundingClientRect().height ?? 0) > 0),
        "the page's own donation form shows",
      );
      const notice = await d.run(() => (document.querySelector('portal-login .portal-storage-refused')?.textContent ?? '').trim());
      assert.match(notice, /block this site from saving data/);
      await d.type('portal-login input[name=email]', person.email);
      await d.type('portal-login input[name=password]', person.password);
      await d.click('portal-login form button[type=submit]');
      await waitFor(d, 'signed in', () => (document.querySelector('portal-login')?.textContent ?? '').includes('Signed in as Iris Blocked'));
      await waitFor(d, 'the donation form filled', () => (document.getElementById('d-given') as HTMLInputElement | null)?.value === 'Iris');
      assert.equal(await d.run(() => document.querySelectorAll('.portal-storage-refused').length), 1, 'said once');
      assert.deepEqual(await d.pageErrors(), []);
    } finally {
      await d.close();
    }
  });
});
