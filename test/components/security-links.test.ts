/**
 * Issue 9 in the browser: the page opened from an emailed link exchanges its token at once (a
 * replayed history entry is then useless), the set-password step names the account the link is for
 * (masked) and needs the person to confirm it before a password is set (login CSRF), and a `429`
 * while restoring a session signs nobody out. Real API, except where a server cannot be made to answer
 * `429` to one request (an injected ky, STYLE §9.41).
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import ky from 'ky';
import '../../src/components/login/login.js';
import '../../src/components/provider/provider.js';
import type PortalLogin from '../../src/components/login/login.component.js';
import { SessionStore } from '../../src/session/store.js';
import { apiBase, clearStorage, createPerson, emailedFragment, ORG, submit, text, type, uniqueEmail, waitUntil } from './helpers.js';

async function mount(): Promise<PortalLogin> {
  const provider = await fixture(html`<portal-provider api=${apiBase()} org=${ORG}><portal-login></portal-login></portal-provider>`);
  return provider.querySelector<PortalLogin>('portal-login')!;
}

async function signUp(email: string, firstName = 'Mallory'): Promise<string> {
  const res = await fetch(`${apiBase()}v1/orgs/${ORG}/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'individual', firstName, lastName: 'Tester', email }),
  });
  expect(res.status).to.equal(202);
  return emailedFragment(email, 'signup');
}

describe('emailed links in the page (issue 9)', () => {
  beforeEach(() => clearStorage());
  afterEach(() => clearStorage());

  it('names the account, masked, and sets no password until the person confirms it is theirs', async () => {
    const email = uniqueEmail('csrf');
    location.hash = await signUp(email);
    const el = await mount();
    await waitUntil(() => el.querySelector('portal-set-password input[name=password]'), 'set-password step');
    expect(location.hash).to.equal('');
    const masked = `${email.slice(0, 2)}•••@example.com`;
    expect(text(el)).to.contain(`This link is for the account ${masked}.`);
    expect(text(el)).not.to.contain(email);
    const confirm = el.querySelector<HTMLInputElement>('portal-set-password input[name=confirmAccount]')!;
    expect(confirm.type).to.equal('checkbox');
    expect(el.querySelector(`label[for="${confirm.id}"]`)?.textContent?.trim()).to.equal('This is my email address');
    await expect(el).to.be.accessible();

    // Without the confirmation nothing is sent and the checkbox says why.
    const requests: string[] = [];
    const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => requests.push(e.name)));
    observer.observe({ type: 'resource', buffered: false });
    type(el, 'portal-set-password input[name=password]', 'a long new passphrase');
    submit(el.querySelector('portal-set-password')!);
    await waitUntil(() => text(el).includes('Please confirm this is your email address before choosing a password.'), 'asks to confirm');
    expect(confirm.getAttribute('aria-invalid')).to.equal('true');
    await waitUntil(() => document.activeElement === confirm, 'checkbox focused');
    await expect(el).to.be.accessible();
    await new Promise((r) => setTimeout(r, 100));
    observer.disconnect();
    expect(requests.filter((u) => u.includes('/signup/complete'))).to.deep.equal([]);

    confirm.click();
    const signedIn = oneEvent(el, 'portal-signed-in');
    submit(el.querySelector('portal-set-password')!);
    expect((await signedIn).detail.profile.email).to.equal(email);
  });

  it('the emailed token is spent when the page opens: the same link from history is expired', async () => {
    const email = uniqueEmail('history');
    const fragment = await signUp(email);
    location.hash = fragment;
    const first = await mount();
    await waitUntil(() => first.querySelector('portal-set-password input[name=password]'), 'set-password step');
    first.parentElement!.remove();
    clearStorage(); // a different tab (or browser) with only the history entry
    location.hash = fragment;
    const replay = await mount();
    await waitUntil(() => text(replay).includes('This link has expired or was already used.'), 'replayed link refused');
    expect(replay.querySelector('portal-set-password input[name=password]')).to.equal(null);
    await expect(replay).to.be.accessible();
  });

  it('the completion token survives a reload of the tab (sessionStorage), and works once', async () => {
    const email = uniqueEmail('reload');
    location.hash = await signUp(email);
    const first = await mount();
    await waitUntil(() => first.querySelector('portal-set-password input[name=password]'), 'set-password step');
    first.parentElement!.remove();
    // "Reload": a new page in the same tab, no fragment any more.
    const again = await mount();
    await waitUntil(() => again.querySelector('portal-set-password input[name=password]'), 'set-password step after reload');
    again.querySelector<HTMLInputElement>('portal-set-password input[name=confirmAccount]')!.click();
    type(again, 'portal-set-password input[name=password]', 'a long new passphrase');
    const signedIn = oneEvent(again, 'portal-signed-in');
    submit(again.querySelector('portal-set-password')!);
    expect((await signedIn).detail.profile.email).to.equal(email);
    expect(Object.keys(sessionStorage).some((k) => k.endsWith(':completion'))).to.equal(false, 'spent token forgotten');
  });
});

describe('a 429 while restoring a session (issue 9 item 4)', () => {
  beforeEach(() => clearStorage());
  afterEach(() => clearStorage());

  it('signs nobody out: keeps the session, stays loading, and restores it when the server has room', async () => {
    const email = uniqueEmail('busy-restore');
    const password = 'correct horse battery staple';
    await createPerson({ firstName: 'Bea', lastName: 'Busy', email, password });
    const first = new SessionStore(apiBase(), ORG);
    await first.signIn(email, password, false);
    first.dispose();

    let busy = true;
    const states: string[] = [];
    const stub = ky.create({
      prefixUrl: apiBase(),
      retry: 0,
      fetch: async (input, init) => {
        const request = input instanceof Request ? input : new Request(input, init);
        if (busy && request.url.endsWith('/sessions/refresh')) {
          busy = false;
          return new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'busy' } }), {
            status: 429,
            headers: { 'content-type': 'application/json', 'retry-after': '1' },
          });
        }
        return fetch(request);
      },
    });
    const store = new SessionStore(apiBase(), ORG, { ky: stub });
    store.addEventListener('change', () => states.push(store.snapshot.status));
    await store.restore();
    expect(store.snapshot.status).to.equal('unknown', 'not shown as signed out');
    expect(Object.keys(sessionStorage).some((k) => k.startsWith('portal-widgets:'))).to.equal(true, 'refresh token kept');
    await waitUntil(() => store.snapshot.status === 'signed-in', 'restored after the wait', { timeout: 5000 });
    expect(states).not.to.include('signed-out');
    expect(store.snapshot.profile?.email).to.equal(email);
    await store.signOut();
    store.dispose();
  });
});
