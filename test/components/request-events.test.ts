/**
 * Cancelable `portal-*-request` events (STYLE §3.12): a host can veto sign-in and sign-up before any
 * request leaves the page.
 */
import { aTimeout, expect, fixture, html, oneEvent } from '@open-wc/testing';
import ky from 'ky';
import '../../src/components/login/login.js';
import '../../src/components/provider/provider.js';
import '../../src/components/signup/signup.js';
import type PortalLogin from '../../src/components/login/login.component.js';
import type PortalSignup from '../../src/components/signup/signup.component.js';
import type { PortalLoginRequestEvent } from '../../src/events/login-request.js';
import type { PortalSignupRequestEvent } from '../../src/events/signup-request.js';
import { apiBase, clearStorage, createPerson, ORG, outboxCount, submit, text, type, uniqueEmail, waitUntil } from './helpers.js';

/** A provider whose requests go to the real API through a counting fetch. */
async function mount<T extends Element>(tag: 'portal-login' | 'portal-signup'): Promise<{ el: T; requests: string[] }> {
  const requests: string[] = [];
  const counting: typeof fetch = (input, init) => {
    requests.push(input instanceof Request ? input.url : String(input));
    return fetch(input, init);
  };
  const stub = ky.create({ prefixUrl: apiBase(), timeout: 10_000, retry: 0, fetch: counting });
  const provider = await fixture(
    tag === 'portal-login'
      ? html`<portal-provider api=${`${apiBase()}?counting`} org=${ORG} .ky=${stub}><portal-login></portal-login></portal-provider>`
      : html`<portal-provider api=${`${apiBase()}?counting`} org=${ORG} .ky=${stub}><portal-signup></portal-signup></portal-provider>`,
  );
  const el = provider.querySelector(tag)! as unknown as T;
  await waitUntil(() => el.querySelector('form'), 'form');
  return { el, requests };
}

describe('cancelable request events', () => {
  beforeEach(() => clearStorage());
  afterEach(() => clearStorage());

  it('portal-login-request: a veto sends nothing; otherwise it carries email and remember, never the password', async () => {
    const email = uniqueEmail('veto-login');
    const password = 'correct horse battery staple';
    await createPerson({ firstName: 'Vera', lastName: 'Veto', email, password });
    const { el, requests } = await mount<PortalLogin>('portal-login');
    type(el, 'input[name=email]', email);
    type(el, 'input[name=password]', password);
    const veto = (e: Event) => e.preventDefault();
    el.addEventListener('portal-login-request', veto);
    const vetoed = oneEvent(el, 'portal-login-request') as Promise<PortalLoginRequestEvent>;
    submit(el);
    const first = await vetoed;
    expect(first.cancelable).to.equal(true);
    expect(first.composed).to.equal(true);
    expect(first.defaultPrevented).to.equal(true);
    await aTimeout(100);
    expect(requests.filter((url) => url.includes('/sessions'))).to.deep.equal([]);
    expect(el.session!.snapshot.status).to.equal('signed-out');
    expect(el.querySelector<HTMLInputElement>('input[name=password]')!.value).to.equal(password);
    await expect(el).to.be.accessible();

    el.removeEventListener('portal-login-request', veto);
    el.querySelector<HTMLInputElement>('input[name=remember]')!.click();
    const allowed = oneEvent(el, 'portal-login-request') as Promise<PortalLoginRequestEvent>;
    const signedIn = oneEvent(el, 'portal-signed-in');
    submit(el);
    const second = await allowed;
    expect(second.detail).to.deep.equal({ email, remember: true });
    await signedIn;
    expect(requests.filter((url) => url.includes('/sessions'))).to.have.length(1);
    await el.session!.signOut();
  });

  it('portal-signup-request: a veto sends no sign-up (no email); otherwise the sign-up goes out', async () => {
    const email = uniqueEmail('veto-signup');
    const { el, requests } = await mount<PortalSignup>('portal-signup');
    type(el, 'input[name=firstName]', 'Sam');
    type(el, 'input[name=lastName]', 'Veto');
    type(el, 'input[name=email]', email);
    const veto = (e: Event) => e.preventDefault();
    el.addEventListener('portal-signup-request', veto);
    const vetoed = oneEvent(el, 'portal-signup-request') as Promise<PortalSignupRequestEvent>;
    submit(el);
    const first = await vetoed;
    expect(first.cancelable).to.equal(true);
    expect(first.detail).to.deep.equal({ kind: 'individual', firstName: 'Sam', lastName: 'Veto', companyName: undefined, email });
    await aTimeout(150);
    expect(requests.filter((url) => url.includes('/signup'))).to.deep.equal([]);
    expect(await outboxCount(email)).to.equal(0);
    expect(el.querySelector('form')).to.exist;
    await expect(el).to.be.accessible();

    el.removeEventListener('portal-signup-request', veto);
    const requested = oneEvent(el, 'portal-signup-requested');
    submit(el);
    await requested;
    await waitUntil(() => text(el).includes('Check your inbox'), 'check your inbox');
    expect(requests.filter((url) => url.includes('/signup'))).to.have.length(1);
  });
});
