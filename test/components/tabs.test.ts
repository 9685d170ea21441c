/**
 * Two tabs of one site: two same-origin iframes, each its own page with its own provider and store,
 * sharing storage, BroadcastChannel and Web Locks as tabs do. Signing in or out in one reaches the other.
 */
import { expect } from '@open-wc/testing';
import type PortalLogin from '../../src/components/login/login.component.js';
import { apiBase, clearStorage, createPerson, text, uniqueEmail, waitUntil } from './helpers.js';

const PASSWORD = 'correct horse battery staple';

async function openTab(): Promise<{ frame: HTMLIFrameElement; login: PortalLogin; doc: Document }> {
  const frame = document.createElement('iframe');
  frame.title = 'another tab';
  frame.src = `/test/components/tabs/tab.html?api=${encodeURIComponent(apiBase())}`;
  document.body.append(frame);
  await waitUntil(() => frame.contentDocument?.querySelector('portal-login')?.querySelector('form, .portal-form'), 'tab ready', { timeout: 8000 });
  const doc = frame.contentDocument!;
  return { frame, doc, login: doc.querySelector('portal-login') as PortalLogin };
}

function typeIn(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('two tabs', () => {
  beforeEach(() => clearStorage());
  afterEach(() => {
    document.querySelectorAll('iframe').forEach((f) => f.remove());
    clearStorage();
  });

  it('signing in in one tab signs in the other, and signing out in one signs out the other', async () => {
    const email = uniqueEmail('tabs');
    await createPerson({ firstName: 'Tab', lastName: 'Two', email, password: PASSWORD });
    const a = await openTab();
    const b = await openTab();

    // Sign in through tab A's form, with "Keep me signed in" (tabs share localStorage, not sessionStorage).
    typeIn(a.login.querySelector<HTMLInputElement>('input[name=email]')!, email);
    typeIn(a.login.querySelector<HTMLInputElement>('input[name=password]')!, PASSWORD);
    a.login.querySelector<HTMLInputElement>('input[name=remember]')!.click();
    a.login.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    // A real sign-in (argon2id on the API) can take over waitUntil's 1 s default on a busy 2-core machine.
    await waitUntil(() => text(a.login).includes('Signed in as Tab Two'), 'tab A signed in', { timeout: 8000 });
    await waitUntil(() => text(b.login).includes('Signed in as Tab Two'), 'tab B signed in too', { timeout: 5000 });
    await waitUntil(() => b.doc.querySelector<HTMLInputElement>('#e')!.value === email, 'tab B filled its purchaser form');

    // Sign out in tab B: tab A follows.
    [...b.login.querySelectorAll<HTMLButtonElement>('button')].find((x) => x.textContent?.trim() === 'Sign out')!.click();
    await waitUntil(() => b.login.querySelector('input[name=password]'), 'tab B signed out');
    await waitUntil(() => a.login.querySelector('input[name=password]'), 'tab A signed out too', { timeout: 5000 });
    expect(a.login.session!.snapshot.status).to.equal('signed-out');
    expect(b.doc.querySelector<HTMLInputElement>('#e')!.value, 'tab B took back its autofill').to.equal('');
    await expect(a.frame).to.be.accessible();
  });
});
