/**
 * Issue #10, class by class, through the element in a page: whose a field is and whether a person
 * can reach it. Each case is a small form built the way the class shows up in real templates.
 */
import { expect, oneEvent } from '@open-wc/testing';
import type { PortalAutofillDetail, PortalAutofillEvent } from '../../src/events/autofill.js';
import { makeProfile, mount, unmountAll, valuesOf } from '../fixtures/purchaser-forms/harness.js';

async function fill(markup: string): Promise<{ values: Record<string, string>; detail: PortalAutofillDetail; autofill: HTMLElement }> {
  const { autofill, session } = await mount(`<purchaser-autofill><form>${markup}</form></purchaser-autofill>`);
  const done = oneEvent(autofill, 'portal-autofill');
  session.signIn(makeProfile());
  const { detail } = (await done) as PortalAutofillEvent;
  return { values: valuesOf(autofill), detail, autofill };
}
const reasons = (d: PortalAutofillDetail) => Object.fromEntries(d.skipped.map((s) => [s.name, s.reason]));

describe('<purchaser-autofill> judging whose a field is', () => {
  afterEach(() => unmountAll());

  it('never fills what a person cannot see or reach, whichever way it is hidden', async () => {
    const { values, detail } = await fill(`
      <label for="e">Email</label><input id="e" name="email" type="email">
      <div style="display:none"><label for="a">Email</label><input id="a" name="email_a"></div>
      <div style="visibility:hidden"><label for="b">Email</label><input id="b" name="email_b"></div>
      <div style="opacity:0"><label for="c">Email</label><input id="c" name="email_c"></div>
      <div style="position:absolute;left:-9999px"><label for="d">Email</label><input id="d" name="email_d"></div>
      <div><label for="f">Email</label><input id="f" name="email_f" style="width:0;height:0;border:0;padding:0"></div>
      <div style="position:absolute;clip:rect(0 0 0 0);width:200px;height:30px"><label for="g">Email</label><input id="g" name="email_g"></div>
      <div style="height:0;overflow:hidden"><label for="h">Email</label><input id="h" name="email_h"></div>
      <div aria-hidden="true"><label for="i">Email</label><input id="i" name="email_i"></div>
      <div><label for="j">Email</label><input id="j" name="email_j" tabindex="-1"></div>
      <div hidden><label for="k">Email</label><input id="k" name="email_k"></div>
      <div inert><label for="l">Email</label><input id="l" name="email_l"></div>
      <div style="opacity:0.001;position:absolute;z-index:-1"><label for="m">Email</label><input id="m" name="email_m"></div>`);
    expect(values.email).to.equal('maria.garcia@example.org');
    for (const n of 'abcdfghijklm') expect(values[`email_${n}`], n).to.equal('');
    const r = reasons(detail);
    for (const n of 'abcdfghijklm') expect(r[`email_${n}`], n).to.equal('not-visible');
  });

  it('fills a select that an enhancement hides behind its own visible combobox (Select2, Choices.js)', async () => {
    const { values } = await fill(`
      <label for="c1">Country</label>
      <select id="c1" name="country" class="select2-hidden-accessible" tabindex="-1" aria-hidden="true" style="position:absolute;width:1px;height:1px;clip:rect(0 0 0 0);overflow:hidden"><option value="">–</option><option value="US">United States</option></select>
      <span class="select2"><span class="select2-selection" role="combobox" aria-label="Country" tabindex="0" style="display:inline-block;width:12em;height:1.5em">–</span></span>
      <div class="choices" role="combobox" aria-label="State" style="display:inline-block;width:12em;height:1.5em"><div class="choices__inner">
        <select id="s1" name="state" class="choices__input" hidden tabindex="-1" data-choice="active"><option value="">–</option><option value="IL">Illinois</option></select></div></div>`);
    expect(values).to.deep.equal({ country: 'US', state: 'IL' });
  });

  it("reads someone else's fields from the label, the description, the legend and the nearest heading (en/es/fr)", async () => {
    const { values } = await fill(`
      <label for="g">Given name</label><input id="g" name="f1">
      <label for="h">Honoree First Name</label><input id="h" name="f2">
      <label for="d">Email</label><input id="d" name="f3" type="email" aria-describedby="dd"><span id="dd">We send the tribute card to this address.</span>
      <fieldset><legend>Contacto de emergencia</legend><label for="t">Teléfono</label><input id="t" name="f4" type="tel"></fieldset>
      <h3>À la mémoire de</h3><label for="p">Prénom</label><input id="p" name="f5">
      <h3>Your address</h3><label for="z">ZIP</label><input id="z" name="f6">
      <label for="n1">First name</label><input id="n1" name="give_tributes_first_name">
      <label for="n2">Email</label><input id="n2" name="partner_email" type="email">
      <label for="n3">Email</label><input id="n3" name="attendee_2_email" type="email">
      <label for="n4">Email</label><input id="n4" name="attendee_1_email" type="email">
      <label for="n5">Name of the person you are honoring</label><input id="n5" name="f7">`);
    expect(values).to.deep.equal({
      f1: 'María',
      f2: '',
      f3: '',
      f4: '',
      f5: '',
      f6: '62704',
      give_tributes_first_name: '',
      partner_email: '',
      attendee_2_email: '',
      attendee_1_email: '',
      f7: '',
    });
  });

  it("reads the page: an additional participant's page is someone else's, a memorial page's donor fields are the donor's", async () => {
    const page = async (heading: string) => {
      const { autofill, session } = await mount(`<h1>${heading}</h1><purchaser-autofill><form>
        <fieldset><legend>Personal Information</legend><label for="f">First Name</label><input id="f" name="first_name"></fieldset></form></purchaser-autofill>`);
      const done = oneEvent(autofill, 'portal-autofill');
      session.signIn(makeProfile());
      await done;
      const values = valuesOf(autofill);
      unmountAll();
      return values.first_name;
    };
    expect(await page('Register Participant 2 of 3')).to.equal('');
    expect(await page('Inscrire un participant supplémentaire')).to.equal('');
    expect(await page('In memory of Rosa Parks — Memorial Fund')).to.equal('María');
  });

  it('tells repeated street fields apart by index, id, label or order', async () => {
    const { values } = await fill(`
      <label for="s1">Street</label><input id="s1" name="billing[street][]">
      <label for="s2">Street</label><input id="s2" name="billing[street][]">
      <label for="m1">Street Address: Line 2</label><input id="m1" name="shipping[street][1]">
      <label for="m0">Street Address: Line 1</label><input id="m0" name="shipping[street][0]">`);
    expect(values).to.deep.equal({
      s1: '742 Evergreen Terrace',
      s2: 'Apt 3',
      'shipping[street][1]': 'Apt 3',
      'shipping[street][0]': '742 Evergreen Terrace',
    });
  });

  it('judges exclusions on the whole field: a guest email named username, an order phone named card_phone', async () => {
    const { values } = await fill(`
      <label for="u">Email address</label><input id="u" name="username" type="email">
      <label for="p">Phone</label><input id="p" name="card_phone" type="tel">
      <label for="c">Card number</label><input id="c" name="card_num" type="tel">`);
    expect(values).to.deep.equal({ username: 'maria.garcia@example.org', card_phone: '+1 217 555 0142', card_num: '' });
  });

  it('fills a second phone (home, mobile) but not a second plain email or name', async () => {
    const { values, detail } = await fill(`
      <label for="e1">Email</label><input id="e1" name="email" type="email">
      <label for="e2">Confirm email</label><input id="e2" name="email_confirm" type="email">
      <label for="p1">Home phone</label><input id="p1" name="phone_home" type="tel">
      <label for="p2">Mobile phone</label><input id="p2" name="phone_mobile" type="tel">
      <label for="n1">Name</label><input id="n1" name="name">
      <label for="n2">Name</label><input id="n2" name="name_2">
      <label for="e3">Email</label><input id="e3" name="email_2" type="email">`);
    expect(values).to.deep.equal({
      email: 'maria.garcia@example.org',
      email_confirm: 'maria.garcia@example.org',
      phone_home: '+1 217 555 0142',
      phone_mobile: '+1 217 555 0142',
      name: 'María García-López',
      name_2: '',
      email_2: '',
    });
    expect(reasons(detail)).to.deep.equal({ name_2: 'repeated', email_2: 'repeated' });
  });

  it('fills the shipping block when the form says nothing about a different address', async () => {
    const { values } = await fill(`
      <label for="b">Billing ZIP</label><input id="b" name="billing_postcode">
      <label for="s">Shipping ZIP</label><input id="s" name="shipping_postcode">`);
    expect(values).to.deep.equal({ billing_postcode: '62704', shipping_postcode: '62704' });
  });

  it('reads a "Ship to" select: a different address makes the shipping block the recipient\'s', async () => {
    const { values, detail } = await fill(`
      <label for="b">Billing ZIP</label><input id="b" name="billing_postcode">
      <label for="t">Ship to</label><select id="t" name="ship_to"><option value="me">My billing address</option><option value="other" selected>A different address</option></select>
      <label for="s">Shipping ZIP</label><input id="s" name="shipping_postcode">`);
    expect(values).to.deep.equal({ billing_postcode: '62704', ship_to: 'other', shipping_postcode: '' });
    expect(reasons(detail)).to.deep.equal({ shipping_postcode: 'recipient' });
  });

  it('lets the page decide: data-portal-skip, data-portal-person and data-portal-field', async () => {
    const { values } = await fill(`
      <label for="a">Email</label><input id="a" name="email" type="email" data-portal-skip>
      <div data-portal-person="other"><label for="b">Phone</label><input id="b" name="phone" type="tel"></div>
      <fieldset><legend>Gift recipient</legend><label for="c">Name</label><input id="c" name="to_name" data-portal-field="fullName"></fieldset>
      <div data-portal-person="purchaser"><h3>Attendee 2</h3><label for="d">ZIP</label><input id="d" name="zip"></div>`);
    expect(values).to.deep.equal({ email: '', phone: '', to_name: 'María García-López', zip: '62704' });
  });

  it('fills a region the page swaps from a text input to a select after the country', async () => {
    const { autofill, session } = await mount(`<purchaser-autofill><form>
      <label for="c">Country</label><select id="c" name="country"><option value="">–</option><option value="CA">Canada</option><option value="US">United States</option></select>
      <span id="slot"><label for="r">State</label><input id="r" name="state"></span></form></purchaser-autofill>`);
    const country = autofill.querySelector<HTMLSelectElement>('#c')!;
    // WooCommerce's country-select script: the state input becomes a select for a country with states.
    country.addEventListener('change', () => {
      const slot = autofill.querySelector('#slot')!;
      slot.innerHTML = `<label for="r2">State</label><select id="r2" name="state"><option value="">Select an option…</option><option value="IL">Illinois</option><option value="NY">New York</option></select>`;
    });
    const reports: PortalAutofillDetail[] = [];
    autofill.addEventListener('portal-autofill', (e) => reports.push((e as PortalAutofillEvent).detail));
    const second = new Promise<void>((resolve) => autofill.addEventListener('portal-autofill', () => reports.length >= 2 && resolve()));
    session.signIn(makeProfile());
    await second;
    expect(valuesOf(autofill)).to.deep.equal({ country: 'US', state: 'IL' });
    expect(reports.flatMap((r) => r.filled.map((f) => f.name))).to.deep.equal(['country', 'state']);
  });

  it('waits for a region list the page enables and fills after the country (Magento 1 style)', async () => {
    const { autofill, session } = await mount(`<purchaser-autofill><form>
      <label for="c">Country</label><select id="c" name="country_id"><option value="">–</option><option value="US">United States</option></select>
      <label for="r">State/Province</label><select id="r" name="region_id" disabled><option value="">Please select</option></select></form></purchaser-autofill>`);
    const country = autofill.querySelector<HTMLSelectElement>('#c')!;
    const region = autofill.querySelector<HTMLSelectElement>('#r')!;
    country.addEventListener('change', () =>
      setTimeout(() => {
        region.append(new Option('Illinois', '23'), new Option('New York', '43'));
        region.disabled = false;
      }, 20),
    );
    const done = oneEvent(autofill, 'portal-autofill');
    session.signIn(makeProfile());
    const { detail } = (await done) as PortalAutofillEvent;
    expect(valuesOf(autofill)).to.deep.equal({ country_id: 'US', region_id: '23' });
    expect(detail.filled.map((f) => f.name)).to.deep.equal(['country_id', 'region_id']);
    expect(detail.skipped).to.deep.equal([]);
  });

  it("sets the region again when the page replaces a list it was filled from (every country's regions, then the chosen one's)", async () => {
    const { autofill, session } = await mount(`<purchaser-autofill><form>
      <label for="c">Country</label><select id="c" name="country"><option value="">–</option><option value="CA">Canada</option><option value="US">United States</option></select>
      <label for="r">State</label><select id="r" name="state"><option value="">Select…</option><option value="ON">Ontario</option><option value="IL">Illinois</option></select></form></purchaser-autofill>`);
    const country = autofill.querySelector<HTMLSelectElement>('#c')!;
    const region = autofill.querySelector<HTMLSelectElement>('#r')!;
    let rebuilt!: () => void;
    const done = new Promise<void>((resolve) => (rebuilt = resolve));
    country.addEventListener('change', () =>
      setTimeout(() => {
        region.replaceChildren(new Option('Select…', ''), new Option('Illinois', 'IL'), new Option('New York', 'NY'));
        // After the engine's MutationObserver has had its turn.
        setTimeout(rebuilt);
      }, 20),
    );
    session.signIn(makeProfile());
    await done;
    expect(valuesOf(autofill)).to.deep.equal({ country: 'US', state: 'IL' });
    expect(region.hasAttribute('data-portal-filled')).to.equal(true);
  });

  it('gives up on a region list that never comes, and says so', async () => {
    const { autofill, session } = await mount(`<purchaser-autofill><form>
      <label for="c">Country</label><select id="c" name="country"><option value="">–</option><option value="US">United States</option></select>
      <label for="r">State</label><select id="r" name="region_id"><option value="">Please select</option></select></form></purchaser-autofill>`);
    const done = oneEvent(autofill, 'portal-autofill');
    session.signIn(makeProfile());
    const { detail } = (await done) as PortalAutofillEvent;
    expect(valuesOf(autofill)).to.deep.equal({ country: 'US', region_id: '' });
    expect(detail.filled.map((f) => f.name)).to.deep.equal(['country']);
    expect(detail.skipped).to.deep.equal([{ field: 'region', name: 'region_id', reason: 'no-option' }]);
  });
});
