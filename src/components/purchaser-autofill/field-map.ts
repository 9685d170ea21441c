/**
 * Pure field mapping for `<purchaser-autofill>` (DESIGN §6): which control of a host page's form
 * holds which part of the signed-in person's profile, and which option of a `<select>` stands for a
 * country or region. Reads the controls it is given; never writes to them or to anything else.
 */
import type { Profile } from '../../api/contract.js';
import { countryCandidates, countryName, regionCandidates } from './places.js';

/** The parts of a profile the element can put into a purchaser form. */
export const PORTAL_FIELDS = [
  'firstName',
  'lastName',
  'fullName',
  'email',
  'phone',
  'company',
  'line1',
  'line2',
  'street',
  'city',
  'region',
  'postalCode',
  'country',
] as const;
export type PortalField = (typeof PORTAL_FIELDS)[number];

/** A control the element may read and fill. */
export type FillableControl = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** Why a control was recognised. `explicit` is `data-portal-field`. */
export type MatchSource = 'explicit' | 'autocomplete' | 'name' | 'id' | 'label' | 'type';

/** The verdict on one control. `sensitive` controls (passwords, card data, hidden) are never touched. */
export type Classification =
  | { readonly kind: 'field'; readonly field: PortalField; readonly section: string; readonly source: MatchSource; readonly countryAsCode: boolean }
  | { readonly kind: 'sensitive' }
  | { readonly kind: 'none' };

/** Profile values by field, already split and joined. Empty strings are omitted. */
export type ProfileValues = Partial<Record<PortalField, string>>;

const AUTOCOMPLETE_FIELDS: Readonly<Record<string, PortalField>> = {
  'given-name': 'firstName',
  'family-name': 'lastName',
  name: 'fullName',
  email: 'email',
  tel: 'phone',
  'tel-national': 'phone',
  organization: 'company',
  'street-address': 'street',
  'address-line1': 'line1',
  'address-line2': 'line2',
  'address-level2': 'city',
  'address-level1': 'region',
  'postal-code': 'postalCode',
  country: 'country',
  'country-name': 'country',
};

/** Autocomplete tokens that mark secrets or payment data. */
const SENSITIVE_AUTOCOMPLETE = /^(cc-.*|new-password|current-password|one-time-code|transaction-.*)$/;

/** Input types the element may fill; everything else (password, hidden, checkbox, file, …) is left alone. */
const TEXT_TYPES = new Set(['text', 'email', 'tel', 'search', '']);

/** Words in a name, id or label that mark secrets or payment data. */
const SENSITIVE_WORDS = new Set([
  'password', 'passwd', 'pwd', 'pass', 'contrasena', 'motdepasse', 'pin', 'ssn', 'cvc', 'cvv', 'cvv2', 'cvn',
  'csc', 'iban', 'bic', 'swift', 'routing', 'sortcode', 'accountnumber', 'routingnumber', 'cardnumber', 'ccnumber',
  'ccnum', 'cardholder', 'cardname', 'expiry', 'expiration', 'exp', 'expdate', 'securitycode', 'captcha', 'token',
  'nonce', 'otp',
]);

/** Words that mean the card, account or instrument: sensitive unless the rest names an address part. */
const CARD_WORDS = new Set(['card', 'cc', 'credit', 'debit', 'tarjeta', 'carte']);

/**
 * Words that mean the field is about someone other than the purchaser (a tribute gift's honoree, a
 * guest, an emergency contact…). Such fields are never filled with the purchaser's details.
 */
const OTHER_PERSON_WORDS = new Set([
  'honoree', 'honor', 'honour', 'tribute', 'memory', 'memoriam', 'recipient', 'gift', 'giftee', 'ecard',
  'notify', 'notification', 'spouse', 'partner', 'emergency', 'child', 'guest', 'referral', 'referrer',
  'employer', 'username', 'login', 'beneficiary', 'homenaje', 'invitado', 'conyuge', 'destinatario',
  'hommage', 'invite', 'conjoint', 'beneficiaire', 'parrain', 'manager', 'assistant', 'friend', 'amigo', 'ami',
]);

/** Section words in names (`billing_first_name`); they say which address block a field belongs to. */
const SECTION_WORDS: Readonly<Record<string, string>> = {
  billing: 'billing', bill: 'billing', facturacion: 'billing', facturation: 'billing',
  shipping: 'shipping', ship: 'shipping', envio: 'shipping', livraison: 'shipping', delivery: 'shipping',
};

/**
 * Ordered rules over `_word_word_` strings (lower case, no accents, camelCase and digits split).
 * The first rule that matches wins, so specific ones come first (`email_address` before `address`).
 */
const NAME_RULES: ReadonlyArray<readonly [PortalField, RegExp]> = [
  ['email', /_(e_mail|email|emailaddress|mail|correo|courriel|courriel_adresse)_/],
  ['phone', /_(phone|phonenumber|telephone|tel|telefono|telf|mobile|mobilephone|cell|cellphone|movil|celular|portable)_/],
  ['company', /_(company|companyname|organization|organisation|org|orgname|business|empresa|entreprise|societe|organizacion|organisme|compania)_/],
  ['line2', /_((address|addr|street|adresse|direccion|line|calle)_2|address2|apt|apartment|suite|unit|complement|complemento|piso|depto|appartement|appt)_/],
  ['line1', /_((address|addr|street|adresse|direccion|line|calle)_1|address1)_/],
  ['postalCode', /_(zip|zipcode|postcode|postal|postalcode|cp|codigo_postal|code_postal|codepostal|plz)_/],
  ['city', /_(city|town|ciudad|ville|locality|localidad|municipio|poblacion|commune|address_level_2)_/],
  ['country', /_(country|countrycode|pais|pays|nation)_/],
  ['region', /_(state|province|stateprovince|region|county|provincia|estado|departement|departamento|address_level_1)_/],
  ['street', /_(address|street|streetaddress|addr|direccion|adresse|domicilio|calle|rue|address_line)_/],
  ['fullName', /_(full_name|fullname|complete_name|nombre_completo|nombre_y_apellidos?|nom_complet|nom_et_prenom|prenom_et_nom|name_surname)_/],
  ['firstName', /_(first_name|firstname|fname|first|given_name|givenname|given|forename|nombre|nombres|primer_nombre|prenom)_/],
  ['lastName', /_(last_name|lastname|lname|last|surname|family_name|familyname|apellido|apellidos|nom_de_famille|nom)_/],
  ['fullName', /^_((your|contact|donor|customer|member|attendee|purchaser|buyer|payer|registrant|applicant|person|su|tu|votre)_)?(name|nombre_completo)_$/],
];

/** Lower case, accents removed. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Splits a name, id or label into folded words: `billingFirstName2` → `billing first name 2`. */
export function words(text: string): string[] {
  const split = text
    .replace(/([a-z\u00e0-\u00ff])([A-Z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .replace(/(\d)([A-Za-z])/g, '$1 $2');
  return fold(split)
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Reads `autocomplete` into section + field token (HTML §4.10.18.7.1). */
export function parseAutocomplete(value: string): { section: string; token: string } {
  const tokens = value.trim().toLowerCase().split(/\s+/).filter(Boolean);
  let section = '';
  const rest: string[] = [];
  for (const t of tokens) {
    if (t.startsWith('section-')) section = t;
    else if (t === 'billing' || t === 'shipping') section = section ? `${section} ${t}` : t;
    else if (!['home', 'work', 'mobile', 'fax', 'pager', 'webauthn'].includes(t)) rest.push(t);
  }
  return { section, token: rest.at(-1) ?? '' };
}

interface WordVerdict {
  readonly field?: PortalField;
  readonly sensitive?: boolean;
  readonly otherPerson?: boolean;
  readonly section: string;
}

/**
 * Classifies one spelling (a name, id or label) by the ordered word rules. For bracketed names
 * (`tribe_tickets[101][attendees][0][meta][purchaser-name]`) the last segment speaks first.
 */
export function classifyWords(text: string): WordVerdict {
  const all = words(text);
  const section = all.map((w) => SECTION_WORDS[w]).find(Boolean) ?? '';
  const segment = /\[([^[\]]+)\]\s*$/.exec(text)?.[1];
  if (segment) {
    const verdict = classifyList(words(segment), section);
    if (verdict.field || verdict.sensitive || verdict.otherPerson) return verdict;
  }
  return classifyList(all, section);
}

function classifyList(list: readonly string[], section: string): WordVerdict {
  let card = false;
  const kept: string[] = [];
  for (const w of list) {
    if (SENSITIVE_WORDS.has(w)) return { sensitive: true, section };
    if (OTHER_PERSON_WORDS.has(w)) return { otherPerson: true, section };
    if (CARD_WORDS.has(w)) card = true;
    else if (!SECTION_WORDS[w]) kept.push(w);
  }
  if (kept.length === 0) return card ? { sensitive: true, section } : { section };
  const joined = `_${kept.join('_')}_`;
  // "user name" is a login, not a person's name.
  if (/_user_name_|_usuario_|_utilisateur_/.test(joined)) return { otherPerson: true, section };
  const plain = `_${kept.filter((w) => !/^\d+$/.test(w)).join('_')}_`;
  const rule = NAME_RULES.find(([, re]) => re.test(re.source.startsWith('^') ? plain : joined));
  if (!rule) return card ? { sensitive: true, section } : { section };
  const field = rule[0];
  // Billing address of a card (`card_zip`, GiveWP's `card_address`) is an address, not card data.
  if (card && !['line1', 'line2', 'street', 'city', 'region', 'postalCode', 'country'].includes(field)) {
    return { sensitive: true, section };
  }
  return { field, section };
}

function labelText(control: FillableControl): string {
  const parts: string[] = [];
  for (const label of Array.from(control.labels ?? [])) {
    // A label may wrap its control; a select's option texts are not the label.
    const copy = label.cloneNode(true) as HTMLElement;
    for (const inner of Array.from(copy.querySelectorAll('select, textarea, input, button'))) inner.remove();
    parts.push(copy.textContent ?? '');
  }
  const aria = control.getAttribute('aria-label');
  if (aria) parts.push(aria);
  const labelledBy = control.getAttribute('aria-labelledby');
  if (labelledBy) {
    const root = control.getRootNode() as Document | ShadowRoot;
    for (const id of labelledBy.split(/\s+/)) parts.push(root.getElementById?.(id)?.textContent ?? '');
  }
  return parts.join(' ').trim();
}

function isPortalField(value: string): value is PortalField {
  return (PORTAL_FIELDS as readonly string[]).includes(value);
}

/**
 * Decides what one control is. Order: `data-portal-field` (explicit, wins when present; `off` opts a
 * field out), then `autocomplete` tokens, then `name`, `id` and label spellings (en/es/fr), then the
 * input type (`email`, `tel`). Passwords, hidden inputs and payment-card fields are `sensitive`
 * whatever else they say.
 */
export function classifyControl(control: FillableControl): Classification {
  const type = control instanceof HTMLInputElement ? control.type.toLowerCase() : '';
  if (type === 'number') {
    // Old forms type ZIP codes as numbers. Nothing else a record holds is a number (a phone has `+`
    // and spaces; an amount or a quantity is not the person's), so only a postal code is filled
    // there; a code with letters cannot be set and is reported as skipped.
    const verdict = classifyByAttributes(control, type);
    return verdict.kind === 'field' && verdict.field === 'postalCode' ? verdict : { kind: 'none' };
  }
  if (control instanceof HTMLInputElement && !TEXT_TYPES.has(type)) {
    return type === 'password' || type === 'hidden' ? { kind: 'sensitive' } : { kind: 'none' };
  }
  return classifyByAttributes(control, type);
}

/** `data-portal-field`, `autocomplete`, then name / id / label, then the text input's type. */
function classifyByAttributes(control: FillableControl, type: string): Classification {
  const ac = parseAutocomplete(control.getAttribute('autocomplete') ?? '');
  if (SENSITIVE_AUTOCOMPLETE.test(ac.token)) return { kind: 'sensitive' };
  const nameVerdict = classifyWords(control.getAttribute('name') ?? '');
  const idVerdict = classifyWords(control.id);
  const label = labelText(control);
  const labelVerdict = classifyWords(label);

  const explicit = (control.getAttribute('data-portal-field') ?? '').trim();
  if (explicit) {
    if (!isPortalField(explicit)) return { kind: 'none' };
    return { kind: 'field', field: explicit, section: ac.section || nameVerdict.section || idVerdict.section, source: 'explicit', countryAsCode: false };
  }
  // Secret or card data by any spelling: leave it alone.
  if (nameVerdict.sensitive || idVerdict.sensitive || labelVerdict.sensitive) return { kind: 'sensitive' };

  const acField = AUTOCOMPLETE_FIELDS[ac.token];
  if (acField) {
    return {
      kind: 'field',
      field: acField,
      section: ac.section || nameVerdict.section,
      source: 'autocomplete',
      countryAsCode: ac.token === 'country',
    };
  }
  const verdicts: ReadonlyArray<readonly [MatchSource, WordVerdict]> = [
    ['name', nameVerdict],
    ['id', idVerdict],
    ['label', labelVerdict],
  ];
  for (const [source, verdict] of verdicts) {
    if (verdict.otherPerson) return { kind: 'none' };
    if (verdict.field) {
      return { kind: 'field', field: verdict.field, section: ac.section || verdict.section || nameVerdict.section, source, countryAsCode: false };
    }
  }
  if (type === 'email') return { kind: 'field', field: 'email', section: ac.section, source: 'type', countryAsCode: false };
  if (type === 'tel') return { kind: 'field', field: 'phone', section: ac.section, source: 'type', countryAsCode: false };
  return { kind: 'none' };
}

/** Profile values for every field, with the full name and street joined from their parts. */
export function profileValues(profile: Profile): ProfileValues {
  const c = profile.constituent;
  const a = c.address;
  const all: Record<PortalField, string | null | undefined> = {
    firstName: c.firstName,
    lastName: c.lastName,
    fullName: [c.firstName, c.lastName].filter(Boolean).join(' '),
    email: c.email || profile.email,
    phone: c.phone,
    company: c.companyName,
    line1: a.line1,
    line2: a.line2,
    street: [a.line1, a.line2].filter(Boolean).join(', '),
    city: a.city,
    region: a.region,
    postalCode: a.postalCode,
    country: a.country?.toUpperCase(),
  };
  const out: ProfileValues = {};
  for (const field of PORTAL_FIELDS) {
    const v = all[field]?.trim();
    if (v) out[field] = v;
  }
  return out;
}

/** One control with what it is and the value planned for it (empty when the profile has none). */
export interface PlannedControl {
  readonly control: FillableControl;
  readonly field: PortalField;
  readonly section: string;
  readonly value: string;
}

/**
 * Plans values for classified controls: a street or line-1 field gets line 1 and line 2 joined
 * when its section has no line-2 field (and line 1 alone when it has one); text inputs for a country get its name in the page's
 * language (or the ISO code for `autocomplete="country"`); selects get the matching option's value.
 */
export function planValues(
  items: ReadonlyArray<{ control: FillableControl; classification: Extract<Classification, { kind: 'field' }> }>,
  values: ProfileValues,
  sectionsWithLine2: ReadonlySet<string>,
): PlannedControl[] {
  return items.map(({ control, classification: c }) => {
    let value = values[c.field] ?? '';
    const hasLine2 = sectionsWithLine2.has(c.section);
    // One street field takes both lines; beside a line-2 field, a generic "address" is line 1.
    if (c.field === 'line1' && !hasLine2) value = values.street ?? '';
    if (c.field === 'street' && hasLine2) value = values.line1 ?? '';
    else if (c.field === 'street' && control instanceof HTMLTextAreaElement) {
      value = [values.line1, values.line2].filter(Boolean).join('\n');
    }
    if (control instanceof HTMLSelectElement) {
      value = value ? (matchOption(control, c.field, value, values.country) ?? '') : '';
    } else if (c.field === 'country' && value && !c.countryAsCode) {
      value = countryName(value, pageLanguage(control)) ?? value;
    }
    return { control, field: c.field, section: c.section, value };
  });
}

/** Language of the page around a control (`lang` of the nearest ancestor, then `<html lang>`). */
export function pageLanguage(el: Element): string {
  const lang = el.closest('[lang]:not([lang=""])')?.getAttribute('lang') || el.ownerDocument.documentElement.lang || 'en';
  return lang.toLowerCase().split('-')[0] ?? 'en';
}

/** Folded, punctuation-free text for comparing option values and labels. */
export function comparable(text: string): string {
  return fold(text).replace(/[^a-z0-9]+/g, ' ').trim();
}

/**
 * The value of the `<option>` that stands for `value`: matched by option value, ISO code or visible
 * text, ignoring case and accents. Countries and US/CA regions also match by their names in en/es/fr.
 */
export function matchOption(select: HTMLSelectElement, field: PortalField, value: string, country?: string): string | undefined {
  const candidates = new Set<string>([comparable(value)]);
  if (field === 'country') for (const c of countryCandidates(value)) candidates.add(comparable(c));
  if (field === 'region') for (const c of regionCandidates(value, country)) candidates.add(comparable(c));
  candidates.delete('');
  for (const option of Array.from(select.options)) {
    if (option.disabled) continue;
    if (candidates.has(comparable(option.value)) || candidates.has(comparable(option.text))) return option.value;
  }
  return undefined;
}
