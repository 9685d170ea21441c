/**
 * "Filling as" (issue #10, class 8): an account that manages a company (DESIGN §1.8) fills the
 * purchaser form as the person or as the company; the choice is remembered per page and announced.
 */
import { expect, oneEvent } from '@open-wc/testing';
import type { PortalAutofillEvent } from '../../src/events/autofill.js';
import { FakeSession, HARBOR_LIGHTS, makeProfile, mount, unmountAll, valuesOf } from '../fixtures/purchaser-forms/harness.js';

const FORM = `
<purchaser-autofill>
<form>
  <label for="fn">First name</label><input id="fn" name="first_name" autocomplete="given-name">
  <label for="ln">Last name</label><input id="ln" name="last_name" autocomplete="family-name">
  <label for="org">Employer / organization</label><input id="org" name="employer">
  <label for="em">Email</label><input id="em" name="email" type="email">
  <label for="ph">Phone</label><input id="ph" name="phone" type="tel">
  <label for="a1">Address</label><input id="a1" name="address_1">
  <label for="a2">Address line 2</label><input id="a2" name="address_2">
  <label for="ci">City</label><input id="ci" name="city">
  <label for="zp">ZIP</label><input id="zp" name="zip">
</form>
</purchaser-autofill>`;

const KEY = `portal-autofill-as:${location.pathname}`;
const jane = () =>
  makeProfile({ firstName: 'Jane', lastName: 'Doe', email: 'jane@harborlights.example', companyName: null, companies: [HARBOR_LIGHTS] });

describe('<purchaser-autofill> filling as a managed company', () => {
  beforeEach(() => sessionStorage.removeItem(KEY));
  afterEach(() => {
    unmountAll();
    sessionStorage.removeItem(KEY);
  });

  it('fills as the person by default; the company name goes into an employer field only when the company is picked', async () => {
    const { autofill, session } = await mount(FORM);
    const first = oneEvent(autofill, 'portal-autofill');
    session.signIn(jane());
    await first;
    await autofill.updateComplete;
    expect(valuesOf(autofill)).to.deep.equal({
      first_name: 'Jane',
      last_name: 'Doe',
      employer: '',
      email: 'jane@harborlights.example',
      phone: '+1 217 555 0142',
      address_1: '742 Evergreen Terrace',
      address_2: 'Apt 3',
      city: 'Springfield',
      zip: '62704',
    });
    const select = autofill.shadowRoot!.querySelector<HTMLSelectElement>('[part="filling-as"] select')!;
    expect([...select.options].map((o) => o.text.trim())).to.deep.equal(['Jane Doe', 'Harbor Lights Design']);
    const status = autofill.shadowRoot!.querySelector('[part="status"]')!;
    expect(status.getAttribute('role')).to.equal('status');
    expect(status.textContent).to.contain('Filled as Jane Doe from your portal account');

    // The person types a phone of their own: it stays through the switch.
    const phone = autofill.querySelector<HTMLInputElement>('#ph')!;
    phone.value = '';
    const again = oneEvent(autofill, 'portal-autofill');
    select.value = HARBOR_LIGHTS.id;
    select.dispatchEvent(new Event('change'));
    const { detail } = (await again) as PortalAutofillEvent;
    await autofill.updateComplete;
    expect(valuesOf(autofill)).to.deep.equal({
      first_name: 'Jane',
      last_name: 'Doe',
      employer: 'Harbor Lights Design',
      email: 'hello@harborlights.example',
      phone: '+1 555 0103',
      address_1: '1 Harbor Way',
      address_2: 'Suite 200',
      city: 'Springfield',
      zip: '62703',
    });
    expect(detail.filled.map((f) => f.name)).to.include.members(['employer', 'email', 'address_1']);
    expect(status.textContent).to.contain('Filled as Harbor Lights Design from your portal account');
    expect(sessionStorage.getItem(KEY)).to.equal(HARBOR_LIGHTS.id);
    await expect(autofill).to.be.accessible();
  });

  it('remembers the choice for the page and leaves what the person typed', async () => {
    sessionStorage.setItem(KEY, HARBOR_LIGHTS.id);
    const { autofill, session } = await mount(FORM);
    const typed = autofill.querySelector<HTMLInputElement>('#em')!;
    typed.focus();
    // A real keystroke (trusted input) is what marks a field as the person's; here the value is the page's.
    typed.value = 'jane.personal@example.org';
    const done = oneEvent(autofill, 'portal-autofill');
    session.signIn(jane());
    const { detail } = (await done) as PortalAutofillEvent;
    await autofill.updateComplete;
    expect(valuesOf(autofill)).to.include({
      employer: 'Harbor Lights Design',
      email: 'jane.personal@example.org',
      address_1: '1 Harbor Way',
      zip: '62703',
    });
    expect(detail.skipped).to.deep.include({ field: 'email', name: 'email', reason: 'not-empty' });
    const select = autofill.shadowRoot!.querySelector<HTMLSelectElement>('[part="filling-as"] select')!;
    expect(select.value).to.equal(HARBOR_LIGHTS.id);
  });

  it('shows no chooser for an account that manages no company, and forgets a company it no longer manages', async () => {
    sessionStorage.setItem(KEY, 'con_gone');
    const session = new FakeSession();
    const { autofill } = await mount(FORM, session);
    const done = oneEvent(autofill, 'portal-autofill');
    session.signIn(makeProfile());
    await done;
    await autofill.updateComplete;
    expect(autofill.shadowRoot!.querySelector('[part="filling-as"]')).to.equal(null);
    expect(valuesOf(autofill)).to.include({ employer: 'Riverside Printing', email: 'maria.garcia@example.org' });
    await expect(autofill).to.be.accessible();
  });
});
