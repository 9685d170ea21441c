/**
 * <purchaser-autofill> through the real <portal-provider>, SessionStore and reference API (started
 * by web-test-runner.config.mjs): a person created with the dev fixture endpoint signs in through the
 * store, the form fills from their real profile, and "Not you?" really signs out.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/components/provider/provider.js';
import '../../src/components/purchaser-autofill/purchaser-autofill.js';
import type PortalProvider from '../../src/components/provider/provider.component.js';
import type { PortalAutofillEvent } from '../../src/events/autofill.js';
import { getSessionStore, releaseSessionStore } from '../../src/session/store.js';
import { apiBase, clearStorage, ORG, uniqueEmail } from './helpers.js';
import { valuesOf } from '../fixtures/purchaser-forms/harness.js';

const PASSWORD = 'lantern-orchard-47';

async function createSignedUpPerson(email: string): Promise<void> {
  const res = await fetch(`${apiBase()}dev/orgs/${ORG}/fixtures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      firstName: 'Ada',
      lastName: 'Okafor',
      email,
      phone: '+1 312 555 0110',
      address: { line1: '500 W Madison St', line2: 'Floor 2', city: 'Chicago', region: 'IL', postalCode: '60661', country: 'US' },
      password: PASSWORD,
    }),
  });
  if (!res.ok) throw new Error(`fixture failed: ${res.status}`);
}

const form = html`
  <form id="donation">
    <label for="d-first">First name</label><input id="d-first" name="first_name" autocomplete="given-name">
    <label for="d-last">Last name</label><input id="d-last" name="last_name" autocomplete="family-name">
    <label for="d-email">Email</label><input id="d-email" name="email" type="email" autocomplete="email">
    <label for="d-street">Street address</label><input id="d-street" name="street" autocomplete="street-address">
    <label for="d-state">State</label>
    <select id="d-state" name="state" autocomplete="address-level1"><option value="">Choose…</option><option value="IL">Illinois</option></select>
    <label for="d-card">Card number</label><input id="d-card" name="card" autocomplete="cc-number">
  </form>`;

describe('<purchaser-autofill> with the real provider and API', () => {
  beforeEach(() => clearStorage());
  afterEach(() => clearStorage());

  it('fills the form after a real sign-in, and "Not you?" signs out for real', async () => {
    const email = uniqueEmail('autofill');
    await createSignedUpPerson(email);
    const provider = await fixture<PortalProvider>(html`<portal-provider api=${apiBase()} org=${ORG}>
      <purchaser-autofill>${form}</purchaser-autofill>
    </portal-provider>`);
    const autofill = provider.querySelector('purchaser-autofill')!;
    await expect(autofill).to.be.accessible();
    const store = provider.session!;

    const filled = oneEvent(autofill, 'portal-autofill');
    await store.signIn(email, PASSWORD);
    const { detail } = (await filled) as PortalAutofillEvent;
    await autofill.updateComplete;
    expect(valuesOf(autofill)).to.deep.equal({
      first_name: 'Ada',
      last_name: 'Okafor',
      email,
      street: '500 W Madison St, Floor 2',
      state: 'IL',
      card: '',
    });
    expect(detail.filled.map((f) => f.field)).to.deep.equal(['firstName', 'lastName', 'email', 'street', 'region']);
    await expect(autofill).to.be.accessible();

    autofill.shadowRoot!.querySelector<HTMLButtonElement>('[part=not-you]')!.click();
    const end = Date.now() + 5000;
    while (store.snapshot.status !== 'signed-out' && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(store.snapshot.status).to.equal('signed-out');
    expect(valuesOf(autofill)).to.deep.equal({ first_name: '', last_name: '', email: '', street: '', state: '', card: '' });
  });

  it('fills a form placed on the page after the person signed in', async () => {
    const email = uniqueEmail('autofill-late');
    await createSignedUpPerson(email);
    const provider = await fixture<PortalProvider>(html`<portal-provider api=${apiBase()} org=${ORG}></portal-provider>`);
    await provider.session!.signIn(email, PASSWORD);
    const autofill = document.createElement('purchaser-autofill');
    autofill.innerHTML = `<form><label for="x-email">Email</label><input id="x-email" name="x-email" autocomplete="email"></form>`;
    const filled = oneEvent(autofill, 'portal-autofill');
    provider.append(autofill);
    await filled;
    expect(valuesOf(autofill)).to.deep.equal({ 'x-email': email });
    await provider.session!.signOut();
  });

  it("works without a provider from its api and org attributes (the page's shared store)", async () => {
    const email = uniqueEmail('autofill-standalone');
    await createSignedUpPerson(email);
    const autofill = await fixture(html`<purchaser-autofill api=${apiBase()} org=${ORG}>${form}</purchaser-autofill>`);
    await expect(autofill).to.be.accessible();
    const store = getSessionStore(apiBase(), ORG);
    const filled = oneEvent(autofill, 'portal-autofill');
    await store.signIn(email, PASSWORD);
    await filled;
    expect(valuesOf(autofill)).to.deep.include({ first_name: 'Ada', email, state: 'IL', card: '' });
    await store.signOut();
    expect(valuesOf(autofill)).to.deep.include({ first_name: '', email: '' });
    releaseSessionStore(store);
  });
});
