import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/components/login/login.js';
import '../../src/components/provider/provider.js';
import '../../src/components/signup/signup.js';
import type PortalLogin from '../../src/components/login/login.component.js';
import type { PortalSignedInEvent } from '../../src/events/signed-in.js';
import { apiBase, clearStorage, createPerson, ORG, submit, type, uniqueEmail, waitUntil } from './helpers.js';

// Issue 15: the first keystroke in the sign-in form warms the connection and the CORS preflight of the
// sign-in POST (src/api/warm.ts), so "Sign in" on a fresh page costs one round trip. The page sees its
// requests in Resource Timing (one entry per fetch that got an answer, preflights not included).

const signInUrl = () => new URL(`v1/orgs/${ORG}/sessions`, apiBase()).href;
const signupUrl = () => new URL(`v1/orgs/${ORG}/signup`, apiBase()).href;
const requestsTo = (url: string) => (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => e.name === url);

async function mount(): Promise<PortalLogin> {
  const provider = await fixture(html`<portal-provider api=${apiBase()} org=${ORG}><portal-login></portal-login></portal-provider>`);
  const login = provider.querySelector('portal-login')!;
  await waitUntil(() => login.querySelector('input[name=email]'), 'sign-in form shown');
  return login;
}

describe('<portal-login> connection warm-up', () => {
  before(() => {
    // The test page loads many modules: keep room for every entry, and start from none.
    performance.setResourceTimingBufferSize(10_000);
    performance.clearResourceTimings();
  });
  beforeEach(() => clearStorage());
  afterEach(() => clearStorage());

  it('sends one request to the sign-in URL on the first keystroke, before the submit, and signs in after it', async () => {
    const email = uniqueEmail('warm');
    const password = 'correct horse battery staple';
    await createPerson({ firstName: 'Wanda', lastName: 'Warm', email, password });
    const el = await mount();
    await expect(el).to.be.accessible();
    // Shown and focused, nothing typed: nothing sent to the sign-in URL yet.
    el.querySelector<HTMLInputElement>('input[name=email]')!.focus();
    await new Promise((r) => setTimeout(r, 300));
    expect(requestsTo(signInUrl())).to.have.length(0);

    type(el, 'input[name=email]', email);
    await waitUntil(() => requestsTo(signInUrl()).length === 1, 'the warm-up reached the API and was answered', { timeout: 5000 });
    const [warm] = requestsTo(signInUrl());
    expect(warm!.responseEnd).to.be.greaterThan(0);

    // More typing sends nothing more: once per page and URL.
    type(el, 'input[name=password]', password);
    type(el, 'input[name=email]', email);
    await new Promise((r) => setTimeout(r, 300));
    expect(requestsTo(signInUrl())).to.have.length(1);

    // The sign-in itself is unchanged: one POST after the warm-up, and the person is signed in.
    const signedIn = oneEvent(el, 'portal-signed-in') as Promise<PortalSignedInEvent>;
    submit(el);
    const event = await signedIn;
    expect(event.detail.profile.email).to.equal(email);
    await waitUntil(() => requestsTo(signInUrl()).length === 2, 'the sign-in POST', { timeout: 5000 });
    const [first, post] = requestsTo(signInUrl());
    expect(first!.startTime).to.be.lessThan(post!.startTime);
  });

  it('a second sign-in form on the page does not warm the same URL again', async () => {
    const before = requestsTo(signInUrl()).length;
    const el = await mount();
    type(el, 'input[name=email]', uniqueEmail('again'));
    await new Promise((r) => setTimeout(r, 300));
    expect(requestsTo(signInUrl())).to.have.length(before);
  });

  it('the sign-up form warms its own URL on its first keystroke, and sends nothing else', async () => {
    const provider = await fixture(html`<portal-provider api=${apiBase()} org=${ORG}><portal-signup></portal-signup></portal-provider>`);
    const el = provider.querySelector('portal-signup')!;
    await waitUntil(() => el.querySelector('input[name=email]'), 'sign-up form shown');
    await expect(el).to.be.accessible();
    expect(requestsTo(signupUrl())).to.have.length(0);
    type(el, 'input[name=email]', uniqueEmail('signup-warm'));
    await waitUntil(() => requestsTo(signupUrl()).length === 1, 'the sign-up warm-up was answered', { timeout: 5000 });
    type(el, 'input[name=email]', uniqueEmail('signup-warm'));
    await new Promise((r) => setTimeout(r, 300));
    expect(requestsTo(signupUrl())).to.have.length(1);
  });
});
