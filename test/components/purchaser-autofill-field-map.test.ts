/** The pure field mapping of <purchaser-autofill>: spellings, autocomplete tokens, select options. */
import { expect } from '@open-wc/testing';
import {
  classifyControl,
  classifyWords,
  matchOption,
  parseAutocomplete,
  type PortalField,
} from '../../src/components/purchaser-autofill/field-map.js';
import { countryName, regionCandidates } from '../../src/components/purchaser-autofill/places.js';

function control(html: string): HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement {
  const form = document.createElement('form');
  form.innerHTML = html;
  document.body.append(form);
  return form.querySelector('input, select, textarea')!;
}

describe('purchaser-autofill field map', () => {
  afterEach(() => document.querySelectorAll('form').forEach((f) => f.remove()));

  const SPELLINGS: ReadonlyArray<readonly [string, PortalField | undefined]> = [
    ['first_name', 'firstName'],
    ['firstName', 'firstName'],
    ['fname', 'firstName'],
    ['given-name', 'firstName'],
    ['nombre', 'firstName'],
    ['prenom', 'firstName'],
    ['Prénom', 'firstName'],
    ['billing[first_name]', 'firstName'],
    ['last_name', 'lastName'],
    ['lastName', 'lastName'],
    ['surname', 'lastName'],
    ['apellido', 'lastName'],
    ['apellidos', 'lastName'],
    ['nom', 'lastName'],
    ['Nom de famille', 'lastName'],
    ['name', 'fullName'],
    ['your-name', 'fullName'],
    ['full_name', 'fullName'],
    ['nombre_completo', 'fullName'],
    ['nom_complet', 'fullName'],
    ['event_name', undefined],
    ['username', undefined],
    ['user_name', undefined],
    ['email', 'email'],
    ['email_address', 'email'],
    ['emailAddress', 'email'],
    ['e-mail', 'email'],
    ['correo', 'email'],
    ['courriel', 'email'],
    ['email-5', 'email'],
    ['phone', 'phone'],
    ['telephone', 'phone'],
    ['telefono', 'phone'],
    ['Téléphone', 'phone'],
    ['mobile-phone', 'phone'],
    ['company', 'company'],
    ['organization', 'company'],
    ['empresa', 'company'],
    ['entreprise', 'company'],
    ['organization_name', 'company'],
    ['address', 'street'],
    ['direccion', 'street'],
    ['adresse', 'street'],
    ['street_address', 'street'],
    ['address1', 'line1'],
    ['address_line_1', 'line1'],
    ['billing_address_1', 'line1'],
    ['address2', 'line2'],
    ['address_line2', 'line2'],
    ['Apartment, suite, etc.', 'line2'],
    ['complement_adresse', 'line2'],
    ['city', 'city'],
    ['ciudad', 'city'],
    ['ville', 'city'],
    ['Town / City', 'city'],
    ['state', 'region'],
    ['province', 'region'],
    ['region', 'region'],
    ['provincia', 'region'],
    ['state_province_id', 'region'],
    ['zip', 'postalCode'],
    ['postcode', 'postalCode'],
    ['postal_code', 'postalCode'],
    ['codigo_postal', 'postalCode'],
    ['code_postal', 'postalCode'],
    ['ZIP / Postal Code', 'postalCode'],
    ['country', 'country'],
    ['pais', 'country'],
    ['pays', 'country'],
    ['País', 'country'],
    ['Country / Region', 'country'],
    ['card_address', 'street'],
    ['card_zip', 'postalCode'],
    ['promo_code', undefined],
    ['notes', undefined],
  ];
  for (const [spelling, field] of SPELLINGS) {
    it(`reads "${spelling}" as ${field ?? 'nothing'}`, () => {
      const verdict = classifyWords(spelling);
      expect(verdict.sensitive ?? false).to.equal(false);
      expect(verdict.field).to.equal(field);
    });
  }

  // Someone else's fields are still named (so the report can say what was left alone), and marked.
  for (const [spelling, field] of [
    ['honoree_first_name', 'firstName'],
    ['guest_email', 'email'],
    ['emergency_contact_phone', 'phone'],
  ] as const) {
    it(`reads "${spelling}" as someone else's ${field}`, () => {
      expect(classifyWords(spelling)).to.include({ field, otherPerson: true });
    });
  }

  for (const spelling of [
    'card_number',
    'cardNumber',
    'cvc',
    'cvv2',
    'card_name',
    'cardholder',
    'credit_card_type',
    'iban',
    'password',
    'numero_tarjeta',
    'card_expiry',
    'exp_month',
  ]) {
    it(`treats "${spelling}" as sensitive`, () => {
      expect(classifyWords(spelling).sensitive).to.equal(true);
    });
  }

  it('parses autocomplete sections and contact tokens', () => {
    expect(parseAutocomplete('section-member shipping address-line1')).to.deep.equal({ section: 'section-member shipping', token: 'address-line1' });
    expect(parseAutocomplete('billing postal-code')).to.deep.equal({ section: 'billing', token: 'postal-code' });
    expect(parseAutocomplete('work email')).to.deep.equal({ section: '', token: 'email' });
    expect(parseAutocomplete('')).to.deep.equal({ section: '', token: '' });
  });

  it('never touches password, hidden or cc-* controls, whatever they are called', () => {
    expect(classifyControl(control('<input type="password" name="email">'))).to.deep.equal({ kind: 'sensitive' });
    expect(classifyControl(control('<input type="hidden" name="first_name">'))).to.deep.equal({ kind: 'sensitive' });
    expect(classifyControl(control('<input name="name" autocomplete="cc-name">'))).to.deep.equal({ kind: 'sensitive' });
    expect(classifyControl(control('<input name="x" aria-label="Card number">'))).to.deep.equal({ kind: 'sensitive' });
    expect(classifyControl(control('<input type="checkbox" name="email">'))).to.deep.equal({ kind: 'none' });
  });

  it('lets data-portal-field win over autocomplete and names, and opt out with an unknown value', () => {
    const c = classifyControl(control('<input name="first_name" autocomplete="given-name" data-portal-field="fullName">'));
    expect(c).to.include({ kind: 'field', field: 'fullName', source: 'explicit' });
    expect(classifyControl(control('<input name="first_name" data-portal-field="off">'))).to.deep.equal({ kind: 'none' });
  });

  it('prefers autocomplete over the name, and the name over the label', () => {
    expect(classifyControl(control('<input name="city" autocomplete="postal-code">'))).to.include({ field: 'postalCode', source: 'autocomplete' });
    expect(classifyControl(control('<label for="a">City</label><input id="a" name="zip">'))).to.include({ field: 'postalCode', source: 'name' });
    expect(classifyControl(control('<label for="b">Ciudad</label><input id="b" name="field_7">'))).to.include({ field: 'city', source: 'label' });
  });

  it('matches select options by value, code or accent-insensitive text', () => {
    const countries = control(
      '<select><option value="">–</option><option value="1">États-Unis</option><option value="2">Mexique</option></select>',
    ) as HTMLSelectElement;
    expect(matchOption(countries, 'country', 'US')).to.equal('1');
    expect(matchOption(countries, 'country', 'mx')).to.equal('2');
    expect(matchOption(countries, 'country', 'DE')).to.equal(undefined);
    const states = control(
      '<select><option value="">–</option><option value="US-NY">Nueva York</option><option value="US-IL">Illinois</option></select>',
    ) as HTMLSelectElement;
    expect(matchOption(states, 'region', 'NY', 'US')).to.equal('US-NY');
    expect(matchOption(states, 'region', 'illinois', 'US')).to.equal('US-IL');
    const provinces = control('<select><option>Quebec</option><option>Ontario</option></select>') as HTMLSelectElement;
    expect(matchOption(provinces, 'region', 'QC', 'CA')).to.equal('Quebec');
  });

  it('names countries in en/es/fr and knows US states and Canadian provinces', () => {
    expect(countryName('GB', 'es')).to.equal('Reino Unido');
    expect(countryName('es', 'fr')).to.equal('Espagne');
    expect(countryName('MX', 'en')).to.equal('Mexico');
    expect(countryName('ZZ', 'en')).to.equal(undefined);
    expect(regionCandidates('Colombie-Britannique', 'CA')).to.include('BC');
    expect(regionCandidates('CA', 'US')).to.include('California');
  });
});
