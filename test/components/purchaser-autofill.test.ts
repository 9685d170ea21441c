/**
 * <purchaser-autofill> behaviour. The session is a test double (FakeSession: a real EventTarget with
 * a profile snapshot) provided through the real portalContext; the element's contract with the
 * store is only `snapshot` + `change` + `signOut()`. Real sign-in: purchaser-autofill-session.test.ts.
 */
import { aTimeout, expect, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { PortalAutofillEvent } from '../../src/events/autofill.js';
import type { PortalAutofillRequestEvent } from '../../src/events/autofill-request.js';
import { FakeSession, filledNames, makeProfile, mount, unmountAll, valuesOf } from '../fixtures/purchaser-forms/harness.js';
import {
  lateCheckoutAfterRemoval,
  lateCheckoutExpected1,
  lateCheckoutExpected2,
  lateCheckoutStep1,
  lateCheckoutStep2,
} from '../fixtures/purchaser-forms/late-checkout.js';

const SIMPLE = `
<purchaser-autofill>
  <form id="f">
    <label for="first">First name</label><input id="first" name="first" autocomplete="given-name">
    <label for="last">Last name</label><input id="last" name="last" autocomplete="family-name">
    <label for="email">Email</label><input id="email" name="email" type="email" autocomplete="email">
    <label for="city">City</label><input id="city" name="city" autocomplete="address-level2" value="Chicago">
    <label for="country">Country</label>
    <select id="country" name="country" autocomplete="country"><option value="">Choose…</option><option value="US">United States</option></select>
    <label for="pw">Password</label><input id="pw" name="pw" type="password" autocomplete="current-password">
  </form>
</purchaser-autofill>`;

function status(el: Element): string {
  return (
    el.shadowRoot
      ?.querySelector('[part=status]')
      ?.textContent?.replace(/[ \t\r\n]+/g, ' ')
      .trim() ?? ''
  );
}

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await aTimeout(10);
  }
}

describe('<purchaser-autofill>', () => {
  afterEach(() => unmountAll());

  it('fills empty fields on sign-in, leaves filled and secret ones, and says so', async () => {
    const { autofill, session } = await mount(SIMPLE);
    await expect(autofill).to.be.accessible();
    expect(status(autofill)).to.equal('');
    const event = oneEvent(autofill, 'portal-autofill');
    session.signIn();
    const { detail } = (await event) as PortalAutofillEvent;
    await autofill.updateComplete;
    expect(valuesOf(autofill)).to.deep.equal({
      first: 'María',
      last: 'García-López',
      email: 'maria.garcia@example.org',
      city: 'Chicago',
      country: 'US',
      pw: '',
    });
    expect(filledNames(autofill)).to.deep.equal(['first', 'last', 'email', 'country']);
    expect(detail.filled).to.deep.equal([
      { field: 'firstName', name: 'first' },
      { field: 'lastName', name: 'last' },
      { field: 'email', name: 'email' },
      { field: 'country', name: 'country' },
    ]);
    expect(detail.skipped).to.deep.equal([{ field: 'city', name: 'city', reason: 'not-empty' }]);
    expect(status(autofill)).to.equal('Filled from your portal account · Not you?');
    await expect(autofill).to.be.accessible();
  });

  it('never overwrites what the person typed, even when they emptied it again', async () => {
    const { autofill, session } = await mount(SIMPLE);
    autofill.querySelector<HTMLInputElement>('#first')!.focus();
    await sendKeys({ type: 'Mari' });
    autofill.querySelector<HTMLInputElement>('#last')!.focus();
    await sendKeys({ type: 'X' });
    await sendKeys({ press: 'Backspace' });
    const event = oneEvent(autofill, 'portal-autofill');
    session.signIn();
    const { detail } = (await event) as PortalAutofillEvent;
    expect(valuesOf(autofill)).to.include({ first: 'Mari', last: '', email: 'maria.garcia@example.org' });
    expect(detail.skipped).to.deep.include({ field: 'firstName', name: 'first', reason: 'user-edited' });
    expect(detail.skipped).to.deep.include({ field: 'lastName', name: 'last', reason: 'user-edited' });
  });

  it('on sign-out clears only the fields still holding exactly what it set', async () => {
    const { autofill, session } = await mount(SIMPLE);
    session.signIn();
    await autofill.updateComplete;
    const email = autofill.querySelector<HTMLInputElement>('#email')!;
    email.focus();
    await sendKeys({ press: 'End' });
    await sendKeys({ type: '.mx' });
    expect(email.hasAttribute('data-portal-filled')).to.equal(false);
    await session.signOut();
    await autofill.updateComplete;
    expect(valuesOf(autofill)).to.deep.equal({ first: '', last: '', email: 'maria.garcia@example.org.mx', city: 'Chicago', country: '', pw: '' });
    expect(filledNames(autofill)).to.deep.equal([]);
    expect(status(autofill)).to.equal('');
    await expect(autofill).to.be.accessible();
  });

  it('leaves the form as it is when it is moved, and still clears on a sign-out that happened meanwhile', async () => {
    const { root, autofill, session } = await mount(SIMPLE);
    session.signIn();
    await autofill.updateComplete;
    autofill.remove();
    expect(valuesOf(autofill)).to.deep.include({ first: 'María', email: 'maria.garcia@example.org' });
    root.append(autofill);
    await autofill.updateComplete;
    expect(valuesOf(autofill)).to.deep.include({ first: 'María', email: 'maria.garcia@example.org' });
    autofill.remove();
    await session.signOut();
    root.append(autofill);
    await autofill.updateComplete;
    expect(valuesOf(autofill)).to.deep.include({ first: '', email: '' });
  });

  it('forgets its marks when the host resets the form', async () => {
    const { autofill, session } = await mount(SIMPLE);
    session.signIn();
    await autofill.updateComplete;
    autofill.querySelector('form')!.reset();
    await autofill.updateComplete;
    expect(filledNames(autofill)).to.deep.equal([]);
    expect(status(autofill)).to.equal('');
    expect(valuesOf(autofill)).to.deep.include({ first: '', city: 'Chicago' });
  });

  it('"Not you?" signs out through the session and clears the untouched fields', async () => {
    const { autofill, session } = await mount(SIMPLE);
    session.signIn();
    await autofill.updateComplete;
    autofill.shadowRoot!.querySelector<HTMLButtonElement>('[part=not-you]')!.click();
    await until(() => session.signOutCalls === 1);
    await autofill.updateComplete;
    expect(valuesOf(autofill)).to.deep.include({ first: '', last: '', email: '' });
    expect(status(autofill)).to.equal('');
    await until(() => document.activeElement === autofill.querySelector('#first'));
  });

  it('"Not you?" is a 24 × 24 px target, and the status line follows the page\'s color-scheme', async () => {
    const { autofill, session } = await mount(SIMPLE);
    session.signIn();
    await until(() => Boolean(autofill.shadowRoot!.querySelector('[part=not-you]')));
    const line = autofill.shadowRoot!.querySelector<HTMLElement>('[part=status]')!;
    const notYou = autofill.shadowRoot!.querySelector<HTMLElement>('[part=not-you]')!;
    const box = notYou.getBoundingClientRect();
    expect(box.height).to.be.at.least(24);
    expect(box.width).to.be.at.least(24);
    try {
      autofill.style.colorScheme = 'light';
      // The theme tokens' one set of defaults (src/styles/tokens.ts), the same as the forms'.
      expect(getComputedStyle(line).color).to.equal('rgb(85, 91, 99)');
      expect(getComputedStyle(notYou).color).to.equal('rgb(31, 95, 191)');
      autofill.style.colorScheme = 'dark';
      expect(getComputedStyle(line).color).to.equal('rgb(179, 185, 194)');
      expect(getComputedStyle(notYou).color).to.equal('rgb(110, 168, 254)');
    } finally {
      autofill.style.removeProperty('color-scheme');
    }
  });

  it("refills for another account and keeps the person's own edits", async () => {
    const { autofill, session } = await mount(SIMPLE);
    session.signIn();
    await autofill.updateComplete;
    session.signIn(makeProfile({ accountId: 'acc_2', firstName: 'Sam', lastName: 'Lee', email: 'sam@example.org' }));
    await autofill.updateComplete;
    expect(valuesOf(autofill)).to.deep.include({ first: 'Sam', last: 'Lee', email: 'sam@example.org' });
  });

  it('fills the form named by for= and nothing else', async () => {
    const { root, autofill, session } = await mount(`
      <form id="other"><label for="o-first">First name</label><input id="o-first" name="o-first" autocomplete="given-name"></form>
      <purchaser-autofill for="checkout"></purchaser-autofill>
      <form id="checkout"><label for="c-first">First name</label><input id="c-first" name="c-first" autocomplete="given-name">
        <label for="c-email">Email</label><input id="c-email" name="c-email" type="email"></form>`);
    await expect(autofill).to.be.accessible();
    session.signIn();
    await autofill.updateComplete;
    expect(valuesOf(root)).to.deep.equal({ 'o-first': '', 'c-first': 'María', 'c-email': 'maria.garcia@example.org' });
    expect(status(autofill)).to.contain('Filled from your portal account');
  });

  it('finds a for= form that is rendered after sign-in', async () => {
    const { root, autofill, session } = await mount('<purchaser-autofill for="late"></purchaser-autofill>');
    session.signIn();
    const event = oneEvent(autofill, 'portal-autofill');
    root.insertAdjacentHTML(
      'beforeend',
      '<form id="late"><label for="l-email">Email</label><input id="l-email" name="l-email" autocomplete="email"></form>',
    );
    await event;
    expect(valuesOf(root)).to.deep.equal({ 'l-email': 'maria.garcia@example.org' });
  });

  it('fills forms and checkout steps rendered after sign-in (MutationObserver), and stops when removed', async () => {
    const { root, autofill, session } = await mount('<purchaser-autofill><div id="app"></div></purchaser-autofill>');
    session.signIn();
    const app = autofill.querySelector('#app')!;
    let event = oneEvent(autofill, 'portal-autofill');
    app.innerHTML = lateCheckoutStep1;
    await event;
    expect(valuesOf(app)).to.deep.equal(lateCheckoutExpected1);
    event = oneEvent(autofill, 'portal-autofill');
    app.insertAdjacentHTML('beforeend', lateCheckoutStep2);
    await event;
    expect(valuesOf(app)).to.deep.equal({ ...lateCheckoutExpected1, ...lateCheckoutExpected2 });
    await expect(autofill).to.be.accessible();

    autofill.remove();
    app.insertAdjacentHTML('beforeend', lateCheckoutAfterRemoval);
    await aTimeout(20);
    expect(app.querySelector<HTMLInputElement>('#s-city')!.value).to.equal('');
    root.remove();
  });

  it('lets the host change planned values or veto the fill (portal-autofill-request)', async () => {
    const { autofill, session } = await mount(SIMPLE);
    const request = oneEvent(autofill, 'portal-autofill-request');
    const listener = (e: PortalAutofillRequestEvent) => {
      expect(e.cancelable).to.equal(true);
      expect(e.composed).to.equal(true);
      for (const entry of e.detail.fields) {
        if (entry.field === 'firstName') entry.value = 'Maria';
        if (entry.field === 'email') entry.value = '';
      }
    };
    autofill.addEventListener('portal-autofill-request', listener);
    const done = oneEvent(autofill, 'portal-autofill');
    session.signIn();
    const req = (await request) as PortalAutofillRequestEvent;
    expect(req.detail.fields.map((f) => [f.field, f.name])).to.deep.equal([
      ['firstName', 'first'],
      ['lastName', 'last'],
      ['email', 'email'],
      ['country', 'country'],
    ]);
    const { detail } = (await done) as PortalAutofillEvent;
    expect(valuesOf(autofill)).to.deep.include({ first: 'Maria', last: 'García-López', email: '' });
    expect(detail.skipped).to.deep.include({ field: 'email', name: 'email', reason: 'vetoed' });
  });

  it('fills nothing when the host cancels portal-autofill-request', async () => {
    const { autofill, session } = await mount(SIMPLE);
    let reported = false;
    autofill.addEventListener('portal-autofill-request', (e) => e.preventDefault());
    autofill.addEventListener('portal-autofill', () => (reported = true));
    session.signIn();
    await autofill.updateComplete;
    expect(valuesOf(autofill)).to.deep.equal({ first: '', last: '', email: '', city: 'Chicago', country: '', pw: '' });
    expect(filledNames(autofill)).to.deep.equal([]);
    expect(reported).to.equal(false);
    expect(status(autofill)).to.equal('');
  });

  it('skips disabled and read-only fields and says why', async () => {
    const { autofill, session } = await mount(`<purchaser-autofill><form>
      <label for="d">Email</label><input id="d" name="d" autocomplete="email" disabled>
      <label for="r">First name</label><input id="r" name="r" autocomplete="given-name" readonly>
      <label for="n">Organization</label><input id="n" name="n" autocomplete="organization"></form></purchaser-autofill>`);
    const event = oneEvent(autofill, 'portal-autofill');
    session.signIn(makeProfile({ companyName: null }));
    const { detail } = (await event) as PortalAutofillEvent;
    expect(valuesOf(autofill)).to.deep.equal({ d: '', r: '', n: '' });
    expect(detail.skipped).to.deep.equal([
      { field: 'email', name: 'd', reason: 'disabled' },
      { field: 'firstName', name: 'r', reason: 'readonly' },
      { field: 'company', name: 'n', reason: 'no-value' },
    ]);
  });

  it('fills a ZIP code typed as a number, and no other number field', async () => {
    const FORM = `<purchaser-autofill><form>
      <label for="zip">ZIP code</label><input id="zip" name="zip" type="number">
      <label for="phone">Phone</label><input id="phone" name="phone" type="number">
      <label for="amount">Amount</label><input id="amount" name="amount" type="number">
      <label for="qty">Tickets</label><input id="qty" name="quantity" type="number"></form></purchaser-autofill>`;
    const us = await mount(FORM);
    const filledUs = oneEvent(us.autofill, 'portal-autofill');
    us.session.signIn();
    const { detail } = (await filledUs) as PortalAutofillEvent;
    expect(valuesOf(us.autofill)).to.deep.equal({ zip: '62704', phone: '', amount: '', quantity: '' });
    expect(detail.filled).to.deep.equal([{ field: 'postalCode', name: 'zip' }]);
    expect(detail.skipped).to.deep.equal([]);
    unmountAll();

    // A postcode with letters cannot go into a number field: left empty, and reported.
    const uk = await mount(FORM);
    const filledUk = oneEvent(uk.autofill, 'portal-autofill');
    uk.session.signIn(makeProfile({ address: { line1: '10 Downing St', city: 'London', postalCode: 'SW1A 2AA', country: 'GB' } }));
    const ukDetail = ((await filledUk) as PortalAutofillEvent).detail;
    expect(valuesOf(uk.autofill)).to.deep.equal({ zip: '', phone: '', amount: '', quantity: '' });
    expect(uk.autofill.querySelector('#zip')!.hasAttribute('data-portal-filled')).to.equal(false);
    expect(ukDetail.filled).to.deep.equal([]);
    expect(ukDetail.skipped).to.deep.equal([{ field: 'postalCode', name: 'zip', reason: 'not-accepted' }]);
  });

  it('speaks the page language (es, fr) and takes provider overrides', async () => {
    const es = await mount(`<div lang="es">${SIMPLE}</div>`);
    es.session.signIn();
    await es.autofill.updateComplete;
    expect(status(es.autofill)).to.equal('Completado con los datos de su cuenta del portal · ¿No es usted?');
    await expect(es.autofill).to.be.accessible();
    unmountAll();
    const fr = await mount(SIMPLE, new FakeSession(), { lang: 'fr' });
    fr.session.signIn();
    await fr.autofill.updateComplete;
    expect(status(fr.autofill)).to.equal('Rempli à partir de votre compte du portail · Ce n’est pas vous ?');
    unmountAll();
    const custom = await mount(SIMPLE, new FakeSession(), { translations: { en: { autofillFilled: 'From your member account' } } });
    custom.session.signIn();
    await custom.autofill.updateComplete;
    expect(status(custom.autofill)).to.equal('From your member account · Not you?');
  });
});
