import { expect, fixture, html } from '@open-wc/testing';
import ky from 'ky';
import '../../src/components/login/login.js';
import '../../src/components/provider/provider.js';
import type PortalLogin from '../../src/components/login/login.component.js';
import { apiBase, clearStorage, createPerson, ORG, submit, text, type, uniqueEmail, waitUntil } from './helpers.js';

/** A provider whose requests go through `fetcher` (for what a real server cannot be made to do). */
async function mount(fetcher: typeof fetch): Promise<PortalLogin> {
  const stub = ky.create({ prefixUrl: apiBase(), timeout: 10_000, retry: 0, fetch: fetcher });
  const provider = await fixture(
    html`<portal-provider api=${`${apiBase()}?stub`} org=${ORG} .ky=${stub}><portal-login></portal-login></portal-provider>`,
  );
  const login = provider.querySelector('portal-login')!;
  await waitUntil(() => login.querySelector('form'), 'form');
  return login;
}

describe('<portal-login> states', () => {
  beforeEach(() => clearStorage());

  it('shows a countdown when rate limited and blocks submit until it ends', async () => {
    const el = await mount(
      async () =>
        new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'Too many requests' } }), {
          status: 429,
          headers: { 'content-type': 'application/json', 'retry-after': '2' },
        }),
    );
    type(el, 'input[name=email]', 'someone@example.com');
    type(el, 'input[name=password]', 'whatever password');
    el.querySelector<HTMLButtonElement>('button[type=submit]')!.focus();
    submit(el);
    await waitUntil(() => text(el.querySelector('[role=alert]')!).includes('Lots of people are using the portal right now.'), 'rate limited');
    // The focused Sign in button is disabled: focus goes to the alert, not to <body>.
    await waitUntil(() => document.activeElement === el.querySelector('[role=alert]'), 'alert focused');
    await expect(el).to.be.accessible();
    // No raw seconds and no blame: a crowd on one network meets this too.
    expect(text(el.querySelector('[role=alert]')!)).to.contain('Please try again in a minute.');
    expect(text(el.querySelector('[role=alert]')!)).not.to.match(/\d\s?s\b|too many/i);
    expect(el.querySelector<HTMLButtonElement>('button[type=submit].portal-primary')!.disabled).to.be.true;
    await waitUntil(() => !el.querySelector<HTMLButtonElement>('button.portal-primary')!.disabled, 'countdown over', { timeout: 4000 });
  });

  it('offers retry when offline, and the retry signs in', async () => {
    const email = uniqueEmail('offline');
    await createPerson({ firstName: 'Off', lastName: 'Line', email, password: 'correct horse battery staple' });
    let offline = true;
    // Fails after a moment, as a real network does: long enough for the busy state to disable the button.
    const fail = () => new Promise<Response>((_, reject) => setTimeout(() => reject(new TypeError('Failed to fetch')), 50));
    const el = await mount((input, init) => (offline ? fail() : fetch(input, init)));
    type(el, 'input[name=email]', email);
    type(el, 'input[name=password]', 'correct horse battery staple');
    el.querySelector<HTMLButtonElement>('button[type=submit]')!.focus();
    submit(el);
    await waitUntil(() => text(el.querySelector('[role=alert]')!).includes('could not reach the server'), 'offline message');
    await expect(el).to.be.accessible();
    offline = false;
    const retry = [...el.querySelectorAll<HTMLButtonElement>('[role=alert] button')].find((b) => b.textContent?.includes('Try again'))!;
    // The focused Sign in button was disabled while busy: focus goes to "Try again", not to <body>.
    await waitUntil(() => document.activeElement === retry, 'retry focused');
    retry.click();
    // A real sign-in (the hash, and the API client's chunk on a loaded machine): more than waitUntil's 1 s default.
    await waitUntil(() => text(el).includes('Signed in as Off Line'), 'signed in after retry', { timeout: 8000 });
  });

  it('never shows a server message', async () => {
    const el = await mount(
      async () =>
        new Response(JSON.stringify({ error: { code: 'server_error', message: 'SECRET stack trace' } }), {
          status: 500,
          headers: { 'content-type': 'application/json' },
        }),
    );
    type(el, 'input[name=email]', 'someone@example.com');
    type(el, 'input[name=password]', 'whatever password');
    submit(el);
    await waitUntil(() => text(el.querySelector('[role=alert]')!) !== '', 'alert');
    expect(text(el)).not.to.contain('SECRET');
    expect(text(el.querySelector('[role=alert]')!)).to.contain('Something went wrong on our side');
  });
});
