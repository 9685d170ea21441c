/**
 * <purchaser-autofill> filling forms owned by React (controlled inputs) and Vue (v-model): the
 * frameworks' own state must reflect the values, not just the DOM. Session: FakeSession (a real
 * EventTarget with a profile snapshot) through the real portalContext; the server is not under test.
 */
import { aTimeout, expect } from '@open-wc/testing';
import { makeProfile, mount, unmountAll } from '../fixtures/purchaser-forms/harness.js';
import { renderReactCheckout, type ReactCheckoutState } from '../fixtures/purchaser-forms/react-checkout.js';
import { mountVueRegistration } from '../fixtures/purchaser-forms/vue-registration.js';

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await aTimeout(10);
  }
}

describe('<purchaser-autofill> with framework-owned forms', () => {
  afterEach(() => unmountAll());

  it('updates React state (controlled inputs and selects)', async () => {
    const { autofill, session } = await mount('<purchaser-autofill><div id="react-root"></div></purchaser-autofill>');
    let state: ReactCheckoutState | undefined;
    const unmount = await renderReactCheckout(autofill.querySelector('#react-root')!, (s) => (state = s));
    await expect(autofill).to.be.accessible();
    session.signIn();
    await until(() => state?.firstName === 'María' && state.country === 'US');
    expect(state).to.deep.equal({
      firstName: 'María',
      lastName: 'García-López',
      email: 'maria.garcia@example.org',
      phone: '+1 217 555 0142',
      address: '742 Evergreen Terrace, Apt 3',
      city: 'Springfield',
      zip: '62704',
      state: 'IL',
      country: 'US',
      cardNumber: '',
    });
    // React re-rendered with its own state: the DOM still shows the values.
    expect(autofill.querySelector<HTMLInputElement>('#rc-firstName')!.value).to.equal('María');
    await session.signOut();
    await until(() => state?.firstName === '' && state.country === '');
    unmount();
  });

  it('updates a Vue v-model', async () => {
    const { autofill, session } = await mount('<purchaser-autofill><div id="vue-root"></div></purchaser-autofill>');
    const { model, app } = mountVueRegistration(autofill.querySelector('#vue-root')!);
    await until(() => autofill.querySelector('form') !== null);
    await expect(autofill).to.be.accessible();
    session.signIn(
      makeProfile({ address: { line1: '1 Front St W', line2: 'Suite 400', city: 'Toronto', region: 'ON', postalCode: 'M5J 2X5', country: 'CA' } }),
    );
    // The fill engine loads on the first sign-in; updateComplete waits for it.
    await autofill.updateComplete;
    expect({ ...model }).to.deep.equal({
      first: 'María',
      last: 'García-López',
      email: 'maria.garcia@example.org',
      phone: '+1 217 555 0142',
      street: '1 Front St W\nSuite 400',
      city: 'Toronto',
      region: 'ON',
      postal: 'M5J 2X5',
      country: 'ca',
      password: '',
    });
    app.unmount();
  });
});
