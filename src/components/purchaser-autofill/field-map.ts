/**
 * Pure field mapping for `<purchaser-autofill>` (DESIGN §6): which control of a host page's form
 * holds which part of the signed-in person's profile, and which option of a `<select>` stands for a
 * country or region. Reads the controls it is given; never writes to them or to anything else.
 */
import type { Profile } from '../../api/contract.js';
import { countryCandidates, countryName, regionCandidates } from './places.js';
import { comparable, fold } from './text.js';

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
export interface FieldClassification {
  readonly kind: 'field';
  readonly field: PortalField;
  /** Which address block: `billing`, `shipping` or `''` (from autocomplete, else the name's words). */
  readonly section: string;
  /** An autocomplete `section-*` token (a separate person per token), or `''`. */
  readonly group: string;
  /** Numeric indexes of the name that are followed by more of it (`attendees[1][email]` → `1`): whose row. */
  readonly person: string;
  /** A trailing index (`street[1]`): the field's place among repeated ones. */
  readonly index?: number;
  /** The address line the field says it is (autocomplete, label, name), when it says one. */
  readonly line?: number;
  /** A confirmation field ("Confirm email"): may repeat a value. */
  readonly confirm: boolean;
  readonly source: MatchSource;
  readonly countryAsCode: boolean;
}

export type Classification = FieldClassification | { readonly kind: 'sensitive' } | { readonly kind: 'none' };

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
  'password',
  'passwd',
  'pwd',
  'pass',
  'contrasena',
  'motdepasse',
  'pin',
  'ssn',
  'cvc',
  'cvv',
  'cvn',
  'csc',
  'iban',
  'bic',
  'swift',
  'routing',
  'sortcode',
  'accountnumber',
  'routingnumber',
  'cardnumber',
  'ccnumber',
  'ccnum',
  'cardholder',
  'cardname',
  'expiry',
  'expiration',
  'exp',
  'expdate',
  'securitycode',
  'captcha',
  'token',
  'nonce',
  'otp',
]);

/** Words that mean the card, account or instrument: sensitive unless the rest names an address part. */
const CARD_WORDS = new Set(['card', 'cc', 'credit', 'debit', 'tarjeta', 'carte']);

/**
 * Words that mean the field is about someone other than the purchaser (a tribute gift's honoree, a
 * guest, an emergency contact…). Such fields are never filled with the purchaser's details.
 */
const OTHER_PERSON_WORDS = new Set([
  'honoree',
  'honor',
  'honour',
  'tribute',
  'memory',
  'memoriam',
  'recipient',
  'gift',
  'giftee',
  'ecard',
  'notify',
  'notification',
  'spouse',
  'partner',
  'emergency',
  'child',
  'guest',
  'referral',
  'referrer',
  'beneficiary',
  'homenaje',
  'homenajeado',
  'homenajeada',
  'invitado',
  'invitada',
  'conyuge',
  'destinatario',
  'destinataria',
  'hommage',
  'invite',
  'invitee',
  'conjoint',
  'conjointe',
  'beneficiaire',
  'parrain',
  'manager',
  'assistant',
  'friend',
  'amigo',
  'amiga',
  'ami',
  'amie',
  'urgence',
  'emergencia',
  'kin',
  'relative',
  'dedication',
  'dedicatee',
]);

/** Words of a login name: an email only when the field as a whole says email (type, autocomplete, label). */
const LOGIN_WORDS = new Set(['username', 'login', 'usuario', 'utilisateur', 'identifiant', 'userid', 'user']);

/** Words of a confirmation field, which repeats a value on purpose. */
const CONFIRM_WORDS = new Set([
  'confirm',
  'confirmation',
  'verify',
  'repeat',
  'retype',
  'again',
  'confirmar',
  'repetir',
  'confirmer',
  'verification',
  'conf',
]);

/** Section words in names (`billing_first_name`); they say which address block a field belongs to. */
const SECTION_WORDS: Readonly<Record<string, string>> = {
  billing: 'billing',
  bill: 'billing',
  facturacion: 'billing',
  facturation: 'billing',
  shipping: 'shipping',
  ship: 'shipping',
  envio: 'shipping',
  livraison: 'shipping',
  delivery: 'shipping',
};

/**
 * Ordered rules over `_word_word_` strings (lower case, no accents, camelCase and digits split:
 * `address2` arrives as `_address_2_`).
 * The first rule that matches wins, so specific ones come first (`email_address` before `address`).
 */
const NAME_RULES: ReadonlyArray<readonly [PortalField, RegExp]> = [
  ['email', /_(e_mail|email|emailaddress|mail|correo|courriel|courriel_adresse)_/],
  ['phone', /_(phone|phonenumber|telephone|tel|telefono|telf|mobile|mobilephone|cell|cellphone|movil|celular|portable)_/],
  [
    'company',
    /_(company|companyname|organization|organisation|org|orgname|business|empresa|entreprise|societe|organizacion|organisme|compania|employer|empleador|employeur|raison_sociale)_/,
  ],
  ['line2', /_((address|addr|street|adresse|direccion|line|calle)_2|apt|apartment|suite|unit|complement|complemento|piso|depto|appartement|appt)_/],
  ['line1', /_((address|addr|street|adresse|direccion|line|calle)_1)_/],
  ['postalCode', /_(zip|zipcode|postcode|postal|postalcode|cp|codigo_postal|code_postal|codepostal|plz)_/],
  ['city', /_(city|town|ciudad|ville|locality|localidad|municipio|poblacion|commune|address_level_2)_/],
  ['country', /_(country|countrycode|pais|pays|nation)_/],
  ['region', /_(state|province|stateprovince|region|county|provincia|estado|departement|departamento|address_level_1)_/],
  ['street', /_(address|street|streetaddress|addr|direccion|adresse|domicilio|calle|rue|address_line)_/],
  ['fullName', /_(full_name|fullname|complete_name|nombre_completo|nombre_y_apellidos?|nom_complet|nom_et_prenom|prenom_et_nom|name_surname)_/],
  ['firstName', /_(first_name|firstname|fname|first|given_name|givenname|given|forename|nombre|nombres|primer_nombre|prenom)_/],
  ['lastName', /_(last_name|lastname|lname|last|surname|family_name|familyname|apellido|apellidos|nom_de_famille|nom)_/],
  [
    'fullName',
    /^_((your|contact|donor|customer|member|attendee|purchaser|buyer|payer|registrant|applicant|person|su|tu|votre)_)?(name|nombre_completo)_$/,
  ],
];

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
  /** Secret or payment data. `soft` when only a card word (card, cc, tarjeta) said so. */
  readonly sensitive?: boolean;
  readonly soft?: boolean;
  /** A word naming someone else (honoree, guest, emergency…). The field is still named. */
  readonly otherPerson?: boolean;
  /** A login name (username, login). */
  readonly login?: boolean;
  readonly confirm?: boolean;
  readonly section: string;
}

/**
 * Classifies one spelling (a name, id or label) by the ordered word rules. For bracketed names
 * (`tribe_tickets[101][attendees][0][meta][purchaser-name]`) the last segment speaks first; numeric
 * bracket segments are indexes, not words (`street[1]` is a street field at index 1).
 */
export function classifyWords(text: string): WordVerdict {
  const plainText = text.replace(/\[\d*\]/g, ' ');
  const all = words(plainText);
  const section = all.map((w) => SECTION_WORDS[w]).find(Boolean) ?? '';
  const segment = /\[([^[\]]*[^\d[\]][^[\]]*)\](?:\s*\[\d*\])*\s*$/.exec(text)?.[1];
  if (segment) {
    const verdict = classifyList(words(segment), section, all);
    if (verdict.field || verdict.sensitive || verdict.login) return verdict;
  }
  return classifyList(all, section, all);
}

function classifyList(list: readonly string[], section: string, context: readonly string[]): WordVerdict {
  let card = false;
  const otherPerson = context.some((w) => OTHER_PERSON_WORDS.has(w));
  const confirm = list.some((w) => CONFIRM_WORDS.has(w));
  const kept: string[] = [];
  for (const w of list) {
    if (SENSITIVE_WORDS.has(w)) return { sensitive: true, section };
    if (CARD_WORDS.has(w)) card = true;
    else if (!SECTION_WORDS[w] && !OTHER_PERSON_WORDS.has(w) && !CONFIRM_WORDS.has(w)) kept.push(w);
  }
  const soft = { sensitive: true, soft: true, section } as const;
  if (kept.length === 0) return card ? soft : { section, otherPerson };
  const joined = `_${kept.join('_')}_`;
  // "user name" / "login" / "nom d'utilisateur" is an account name, not a person's name: an email only if the field says so.
  if (kept.some((w) => LOGIN_WORDS.has(w))) {
    const rule = NAME_RULES.find(([field, re]) => field === 'email' && re.test(joined));
    return rule ? { field: 'email', login: true, section, otherPerson, confirm } : { login: true, section, otherPerson };
  }
  const plain = `_${kept.filter((w) => !/^\d+$/.test(w)).join('_')}_`;
  const rule = NAME_RULES.find(([, re]) => re.test(re.source.startsWith('^') ? plain : joined));
  if (!rule) return card ? soft : { section, otherPerson };
  const field = rule[0];
  // Billing address of a card (`card_zip`, GiveWP's `card_address`) is an address, not card data.
  if (card && !ADDRESS_FIELDS.has(field)) return { ...soft, field };
  return { field, section, otherPerson, confirm };
}

const ADDRESS_FIELDS: ReadonlySet<PortalField> = new Set(['line1', 'line2', 'street', 'city', 'region', 'postalCode', 'country']);

/** The text of the elements `attr` (an id list) names, in the control's root. */
export function idrefText(control: Element, attr: string): string {
  const ids = control.getAttribute(attr);
  if (!ids) return '';
  const root = control.getRootNode() as Document | ShadowRoot;
  return ids
    .split(/\s+/)
    .map((id) => root.getElementById?.(id)?.textContent ?? '')
    .join(' ');
}

/** The control's own name as a person reads it: its labels (without nested controls), aria-label, aria-labelledby. */
export function labelText(control: FillableControl): string {
  const parts: string[] = [];
  for (const label of Array.from(control.labels ?? [])) {
    // A label may wrap its control; a select's option texts are not the label.
    const copy = label.cloneNode(true) as HTMLElement;
    for (const inner of Array.from(copy.querySelectorAll('select, textarea, input, button'))) inner.remove();
    parts.push(copy.textContent ?? '');
  }
  parts.push(control.getAttribute('aria-label') ?? '', idrefText(control, 'aria-labelledby'));
  const text = parts.join(' ').trim();
  return text || control.getAttribute('placeholder') || control.getAttribute('title') || '';
}

function isPortalField(value: string): value is PortalField {
  return (PORTAL_FIELDS as readonly string[]).includes(value);
}

/**
 * The numeric parts of a name that are followed by more of it, with the name up to them:
 * `a[101][attendees][1][meta][x]` → `a[#][attendees][#]=101.1`, `2-attendee_email` → `#=2`. Whether
 * they number people (rows repeated with different numbers) is decided over the whole form.
 */
function personIndex(name: string): string {
  const nums: string[] = [];
  let end = 0;
  for (const m of name.matchAll(/\[(\d+)\](?=\[)|(?:^|[-_.])(\d+)(?=[-_.][a-z])/gi)) {
    nums.push(m[1] ?? m[2] ?? '');
    end = (m.index ?? 0) + m[0].length;
  }
  return nums.length ? `${name.slice(0, end).replace(/\d+/g, '#')}=${nums.join('.')}` : '';
}

const LINE_OF: Readonly<Partial<Record<PortalField, number>>> = { line1: 1, line2: 2 };
const NONE: Classification = { kind: 'none' };
const SENSITIVE: Classification = { kind: 'sensitive' };

/**
 * Decides what one control is. Order: `data-portal-field` (explicit, wins when present; `off` opts a
 * field out), then `autocomplete` tokens, then `name`, `id` and label spellings (en/es/fr), then the
 * input type (`email`, `tel`). Passwords, hidden inputs and payment-card fields are `sensitive`
 * whatever else they say. It says what a field is, not whose: `judge.ts` reads the context.
 */
export function classifyControl(control: FillableControl): Classification {
  if (control.closest('[data-portal-skip]')) return NONE;
  const type = control instanceof HTMLInputElement ? control.type.toLowerCase() : '';
  if (type === 'number') {
    // Old forms type ZIP codes as numbers. Nothing else a record holds is a number (a phone has `+`
    // and spaces; an amount or a quantity is not the person's), so only a postal code is filled
    // there; a code with letters cannot be set and is reported as skipped.
    const verdict = classifyByAttributes(control, type);
    return verdict.kind === 'field' && verdict.field === 'postalCode' ? verdict : NONE;
  }
  if (control instanceof HTMLInputElement && !TEXT_TYPES.has(type)) return type === 'password' || type === 'hidden' ? SENSITIVE : NONE;
  return classifyByAttributes(control, type);
}

/** `data-portal-field`, `autocomplete`, then name / id / label, then the text input's type. */
function classifyByAttributes(control: FillableControl, type: string): Classification {
  const ac = parseAutocomplete(control.getAttribute('autocomplete') ?? '');
  if (SENSITIVE_AUTOCOMPLETE.test(ac.token)) return SENSITIVE;
  const name = control.getAttribute('name') ?? '';
  // By name, id and label, in that order.
  const spelled = [name, control.id, labelText(control)].map(classifyWords);
  const [nameVerdict, idVerdict, labelVerdict] = spelled as [WordVerdict, WordVerdict, WordVerdict];
  const acSection = ac.section.split(' ');
  const index = /\[(\d+)\]\s*$/.exec(name)?.[1];
  // The line a field names itself: autocomplete, then the label, then the name and id.
  const acLine = /^address-line(\d)$/.exec(ac.token)?.[1];
  const line = acLine ? Number(acLine) : [labelVerdict, nameVerdict, idVerdict].map((v) => v.field && LINE_OF[v.field]).find(Boolean);
  const is = (field: PortalField, source: MatchSource, at = line): FieldClassification => ({
    kind: 'field',
    field,
    section: acSection.find((t) => t === 'billing' || t === 'shipping') || nameVerdict.section || idVerdict.section,
    group: acSection.find((t) => t.startsWith('section-')) ?? '',
    person: personIndex(name),
    index: index === undefined ? undefined : Number(index),
    line: at,
    confirm: spelled.some((v) => v.confirm),
    source,
    countryAsCode: source === 'autocomplete' && ac.token === 'country',
  });

  const explicit = (control.getAttribute('data-portal-field') ?? '').trim();
  if (explicit) return isPortalField(explicit) ? is(explicit, 'explicit', LINE_OF[explicit]) : NONE;
  // Secret data by any spelling: leave it alone. A card word alone (`card_phone`) yields to a field
  // that says as a whole what it is: an autocomplete token, or a label naming a plain field.
  if (spelled.some((v) => v.sensitive && !v.soft)) return SENSITIVE;
  const acField = AUTOCOMPLETE_FIELDS[ac.token];
  const soft = spelled.some((v) => v.soft);
  const plainLabel = labelVerdict.sensitive ? undefined : labelVerdict.field;
  if (acField) return is(acField, 'autocomplete');
  if (soft) return plainLabel ? is(plainLabel, 'label') : SENSITIVE;
  // A login name is the email only when the field as a whole says email.
  if (ac.token === 'username' || nameVerdict.login || (!nameVerdict.field && idVerdict.login)) {
    // Beside a password to type (a sign-in form), the login name is the account's, not the purchase's.
    const password = control.form?.querySelector<HTMLInputElement>('input[type="password"]:not([autocomplete="new-password"])');
    if (password && password.getClientRects().length > 0) return NONE;
    return type === 'email' ? is('email', 'type', undefined) : spelled.some((v) => v.field === 'email') ? is('email', 'label', undefined) : NONE;
  }
  const i = spelled.findIndex((v) => v.field);
  if (i >= 0) return is(spelled[i]!.field!, (['name', 'id', 'label'] as const)[i]!);
  return type === 'email' ? is('email', 'type', undefined) : type === 'tel' ? is('phone', 'type', undefined) : NONE;
}

/** Whom the form is filled as: the person (`''`), or the id of a company the account manages. */
export type FillingAs = string;

/**
 * Profile values for every field, with the full name and street joined from their parts. Filling
 * as a company the account manages: its name, email, phone and address from the company record (none
 * of the person's own; an empty one stays empty), with the person's name as its contact.
 */
export function profileValues(profile: Profile, as: FillingAs = ''): ProfileValues {
  const c = profile.constituent;
  const company = as ? profile.companies.find((co) => co.id === as) : undefined;
  const a = company ? (company.address ?? {}) : c.address;
  const all: Record<PortalField, string | null | undefined> = {
    firstName: c.firstName,
    lastName: c.lastName,
    fullName: [c.firstName, c.lastName].filter(Boolean).join(' '),
    email: company ? company.email : c.email || profile.email,
    phone: company ? company.phone : c.phone,
    company: company ? company.companyName : c.companyName,
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

type FieldItem = { readonly control: FillableControl; readonly classification: FieldClassification };

const LINE_FIELDS: ReadonlySet<PortalField> = new Set(['street', 'line1', 'line2']);

/** Document order. */
export function byDocumentOrder(a: Node, b: Node): number {
  return a === b ? 0 : a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
}

/**
 * Which address line each street field of one block holds. A block (same person, `section-*`
 * and billing/shipping) with one street field gets the whole street in it (0). With several, a field
 * that names its line (autocomplete `address-line2`, "Address line 2", `address_2`, "Apt / suite")
 * keeps it; the others (`billing[street][]` twice, `street[0]`/`street[1]`) take the free lines in
 * index order, then document order. Line 3 and beyond get nothing.
 */
export function resolveLines(items: readonly FieldItem[], separate: ReadonlySet<FillableControl> = new Set()): Map<FillableControl, number> {
  const blocks = new Map<string, FieldItem[]>();
  for (const item of items) {
    const c = item.classification;
    if (!LINE_FIELDS.has(c.field)) continue;
    const key = `${c.group}|${c.person}|${c.section}|${separate.has(item.control)}`;
    blocks.set(key, [...(blocks.get(key) ?? []), item]);
  }
  const out = new Map<FillableControl, number>();
  for (const block of blocks.values()) {
    if (block.length === 1) {
      const only = block[0]!;
      out.set(only.control, only.classification.line === 2 ? 2 : 0);
      continue;
    }
    const taken = new Set(block.flatMap((i) => (i.classification.line ? [i.classification.line] : [])));
    const free = block
      .filter((i) => !i.classification.line)
      .sort((x, y) => (x.classification.index ?? 0) - (y.classification.index ?? 0) || byDocumentOrder(x.control, y.control));
    let next = 1;
    for (const item of block) if (item.classification.line) out.set(item.control, item.classification.line);
    for (const item of free) {
      while (taken.has(next)) next += 1;
      out.set(item.control, next);
      taken.add(next);
    }
  }
  return out;
}

/**
 * Plans values for classified controls: street fields get the line `resolveLines` gave them (the
 * whole street, joined, when a block has one street field; a textarea gets the lines on separate
 * lines); text inputs for a country get its name in the page's language (or the ISO code for
 * `autocomplete="country"`); selects get the matching option's value.
 */
export function planValues(items: readonly FieldItem[], values: ProfileValues, lines: ReadonlyMap<FillableControl, number>): PlannedControl[] {
  return items.map(({ control, classification: c }) => {
    let value = values[c.field] ?? '';
    if (LINE_FIELDS.has(c.field)) {
      const line = lines.get(control) ?? 0;
      value =
        line === 0
          ? control instanceof HTMLTextAreaElement
            ? [values.line1, values.line2].filter(Boolean).join('\n')
            : (values.street ?? '')
          : line === 1
            ? (values.line1 ?? '')
            : line === 2
              ? (values.line2 ?? '')
              : '';
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
