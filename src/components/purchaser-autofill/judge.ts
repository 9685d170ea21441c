/**
 * Whose field is it, and can a person reach it? (DESIGN §6, issue #10.) `field-map.ts` says what a
 * control is; this module reads its whole context — label, `aria-describedby`, enclosing legends and
 * groups, the nearest section headings, `section-*` tokens, the form's own ship-to choice — and its
 * visibility, and decides which recognised fields are the purchaser's. Reads the page; writes nothing.
 */
import { byDocumentOrder, idrefText, labelText, type FieldClassification, type FillableControl, type PortalField } from './field-map.js';
import { fold } from './text.js';

/** Why a recognised field is not the purchaser's, or cannot be filled now. */
export type NotOwnReason = 'other-person' | 'recipient' | 'repeated' | 'not-visible';

type FieldItem = { readonly control: FillableControl; readonly classification: FieldClassification };

/**
 * Phrases (folded: lower case, no accents) naming someone other than the purchaser, in en/es/fr:
 * a tribute's honoree, a card or gift recipient, an emergency contact, a spouse or child, a guest, a
 * second or additional attendee/participant. Numbered people from 2 on (`Attendee 2`, `Participante 3`).
 */
const OTHER =
  /\b(honou?rees?|tributes?|in (loving )?(memory|honou?r)|honou?ring|remembering|memoriam|dedicat(e|ed|ion)|notif(y|ication) (someone|contact|the family)|(who|person) (to|should we|we should) notify|ecards?|recipients?|giftees?|gift (for|to)|send (it|this|the gift|a card) to|emergency|next of kin|spouses?|husband|wife|partner s|partner (first |last |full )?(name|e ?mail|phone)|child(ren)?|kids?|guests?|invitees?|beneficiar(y|ies)|referr(er|al|ed by)|friends?|someone else|(second|2nd|third|3rd|other|additional|another|extra) (attendee|participant|registrant|person|ticket holder|member|guest)s?|(manager|supervisor|assistant|secretary|parent|guardian) s (name|e ?mail|phone|number)|(parent|guardian) (name|e ?mail|phone)|additional people|homenaj(e|ead[oa]s?)|en (memoria|honor)|destinatari[oa]s?|beneficiari[oa]s?|emergencia|conyuge|espos[oa]|pareja|invitad[oa]s?|acompanantes?|(segund[oa]|otr[oa]|tercer[oa]?) (asistente|participante|persona)|(asistentes?|participantes?|personas?) adicional(es)?|hij[oa]s?|nin[oa]s?|amig[oa]s?|regalo para|hommage|a la memoire de|en (l )?honneur de|en memoire de|destinataires?|beneficiaires?|urgence|personne a (prevenir|contacter)|conjointe?|epou(x|se)|invite(e)?s|accompagna(teur|trice|nt)s?|(participant|personne|inscrit)e?s? (supplementaires?|additionnel(le)?s?)|(deuxieme|seconde?|autre) (participant|personne|inscrit)e?|enfants?|ami(e)?s?|parrain|filleule?|cadeau pour|offert a)\b/;

/** A page about a further person: numbered from 2 on, or additional/another/second. Like every phrase list here, it reads folded text (no `.` or `-`). */
const ANOTHER_PERSON =
  /\b((attendee|participant|registrant|ticket|person|guest|asistente|participante|persona|inscrit|personne|billet)e?s? ?(#|n[o°º])? ?([2-9]|[1-4]\d)\b|(second|2nd|third|other|additional|another|extra) (attendee|participant|registrant|person|guest)|(participantes?|asistentes?) adicional|(segund[oa]|otr[oa]) (asistente|participante|persona)|(participant|personne|inscrit)e?s? (supplementaire|additionnel)|(deuxieme|autre) (participant|personne))/;

/** A block of an organization's own details (CiviCRM's "on behalf of", a company-details section). */
const ORGANIZATION =
  /\b(on behalf of (an? |my |the )?(organi[sz]ation|company|business|employer)|onbehalf|(organi[sz]ation|company|business|employer)( s)? (details|information|info|address|contact details)|datos de la (empresa|organizacion)|en nombre de (una |la |mi )?(empresa|organizacion)|informations? (de|sur) l (entreprise|organisation)|coordonnees de l (entreprise|organisation)|au nom (d une|de l|de mon) (entreprise|organisation))\b/;

/** Guest checkout is the purchaser checking out without an account. */
const GUEST_CHECKOUT =
  /\b(guest (checkout|account|order)|(check ?out|continue|order|buy|purchase) as (a )?guest|como invitado|en tant qu invite|compra como invitado)\b/g;

/** A numbered person: `Attendee 2`, `Ticket #3`, `Participante 2`, `Billet 2`; 2 and up are someone else. */
const NUMBERED =
  /\b(attendee|participant|registrant|ticket|person|guest|member|player|seat|asistente|participante|persona|entrada|boleto|inscrit|personne|billet|place)e? ?(?:#|n[o°º]|number|numero)? ?(\d+)\b/;

/** Phrases that say the fields are the purchaser's own (en/es/fr). */
const SELF =
  /\b(your|yours|you|my|donor|donors|purchaser|buyer|payer|customer|billing|cardholder|account holder|primary (contact|participant|registrant|attendee)|main contact|(tu|tus|su|sus|mis) (datos|informacion|detalles)|donante|comprador|pagador|facturacion|vos (coordonnees|informations)|votre|vos|mes coordonnees|donat(eur|rice)|acheteur|acheteuse|payeur|facturation)\b/;

/** Headings that name a kind of details, not a person: they say "self" only if nothing nearer says otherwise. */
const SELF_WEAK =
  /\b(personal (info|information|details)|contact (info|information|details)|cliente|datos personales|datos de contacto|informations personnelles|coordonnees)\b/;

/** Text that tells a person not to fill the field: a spam trap's own label. */
const TRAP =
  /\b(leave ((this|it)( field)? )?(empty|blank)|left (empty|blank|unchanged)|do not (fill|enter|change)|don t (fill|enter)|if you are (a )?human|human(s)? (should|must) leave|validation purposes|no (llene|rellene|rellenar|llenar)|dejar (en blanco|vacio)|deje (en blanco|vacio)|dejelo (en blanco|vacio)|laisse[rz]? (ce champ )?vide|ne (pas )?(le )?remplir|ne remplissez pas)\b/;

/** Names of spam-trap fields. */
const TRAP_NAME = /(^|[^a-z])(honeypot|honey|hp|ak_hp|trap|spam|bot|nospam|antispam|frm_verify)([^a-z]|$)/i;

function folded(text: string): string {
  return fold(text)
    .replace(/[^a-z0-9#°º]+/g, ' ')
    .trim();
}

/** `'other'`, `'self'` or undefined (says nothing) for one piece of text. */
export function whoseText(text: string): 'other' | 'self' | 'weak' | 'organization' | undefined {
  const t = folded(text).replace(GUEST_CHECKOUT, ' ');
  if (!t) return undefined;
  if (ORGANIZATION.test(t)) return 'organization';
  if (OTHER.test(t)) return 'other';
  const n = NUMBERED.exec(t);
  if (n && Number(n[2]) >= 2 && Number(n[2]) <= 50) return 'other';
  if (SELF.test(t)) return 'self';
  if (SELF_WEAK.test(t)) return 'weak';
  return undefined;
}

const HEADING = 'h1, h2, h3, h4, h5, h6, [role="heading"]';

function headingLevel(el: Element): number {
  const m = /^H(\d)$/.exec(el.tagName);
  return m ? Number(m[1]) : Number(el.getAttribute('aria-level') ?? 2);
}

function hasControls(el: Element): boolean {
  return el.matches('input, select, textarea') || el.querySelector('input:not([type="hidden"]), select, textarea') !== null;
}

/**
 * The texts that say whose a control is, nearest first: its own name, id and label, its
 * description, then walking out: each enclosing `<fieldset>`'s legend, a labelled group or region, and
 * the headings before it (a heading counts when it stands before one of the control's ancestors, on
 * its own or in a wrapper without fields — not the heading of an earlier block of fields; after the
 * nearest heading only a higher-level one still counts), up to the page's own headings.
 */
export function contextTexts(control: FillableControl): Array<{ text: string; outside: boolean }> {
  let outside = false;
  const texts: Array<{ text: string; outside: boolean }> = [];
  const push = (text: string) => texts.push({ text, outside });
  for (const text of [`${control.getAttribute('name') ?? ''} ${control.id}`, labelText(control), idrefText(control, 'aria-describedby')]) push(text);
  let level = 7;
  for (let node: Element | null = control; node && node !== document.documentElement; node = node.parentElement) {
    if (node !== control) {
      if (node instanceof HTMLFieldSetElement) {
        const legend = Array.from(node.children).find((c) => c.tagName === 'LEGEND');
        if (legend) push(legend.textContent ?? '');
      }
      if (node.matches('[role="group"], [role="region"], section, form, [role="form"]')) {
        push([node.getAttribute('aria-label') ?? '', idrefText(node, 'aria-labelledby')].join(' '));
      }
    }
    // Beyond the form: the page's own headings.
    if (node instanceof HTMLFormElement) outside = true;
    for (let sib = node.previousElementSibling; sib; sib = sib.previousElementSibling) {
      let heading: Element | undefined;
      if (sib.matches(HEADING) || sib.tagName === 'LEGEND') heading = sib;
      else if (!hasControls(sib)) heading = Array.from(sib.querySelectorAll(HEADING)).at(-1);
      if (!heading) continue;
      const l = heading.tagName === 'LEGEND' ? 7 : headingLevel(heading);
      if (l < level || (level === 7 && l === 7)) {
        push(heading.textContent ?? '');
        level = Math.min(l, 6);
      }
      if (level <= 1) break;
    }
  }
  return texts;
}

/**
 * Whose the control is by its context: the nearest text that says. A heading that only names a kind
 * of details ("Personal information") yields to a nearer or higher one naming a person ("Attendee
 * 2"), but the page outside the form does not overrule it.
 */
export function whose(control: FillableControl): 'other' | 'self' | 'organization' | undefined {
  // The page's own word (`data-portal-person="other|purchaser"` on the field or a container) wins.
  const explicit = control.closest('[data-portal-person]')?.getAttribute('data-portal-person');
  if (explicit === 'other') return 'other';
  if (explicit === 'purchaser') return 'self';
  let weak = false;
  for (const [i, { text, outside }] of contextTexts(control).entries()) {
    // Past a "Personal information" legend, only a page about another numbered or additional
    // person ("Register Participant 2 of 3") still overrules it; a memorial page's title does not.
    if (weak && outside) {
      if (whoseText(text) === 'other' && ANOTHER_PERSON.test(folded(text))) return 'other';
      continue;
    }
    // A name's numbers are ids and indexes (`ticket_101`), judged over the whole form instead.
    const verdict = whoseText(i === 0 ? text.replace(/\d+/g, ' ') : text);
    if (verdict === 'weak') weak = true;
    else if (verdict) return verdict;
  }
  return weak ? 'self' : undefined;
}

interface VisibilityOptions {
  readonly opacityProperty?: boolean;
  readonly visibilityProperty?: boolean;
  readonly checkOpacity?: boolean;
  readonly checkVisibilityCSS?: boolean;
  readonly contentVisibilityAuto?: boolean;
}

/** Hidden by CSS on the element or an ancestor (display, visibility, opacity 0, content-visibility). */
function cssHidden(el: Element): boolean {
  const check = (el as Element & { checkVisibility?: (o: VisibilityOptions) => boolean }).checkVisibility;
  if (check) {
    return !check.call(el, {
      opacityProperty: true,
      visibilityProperty: true,
      checkOpacity: true,
      checkVisibilityCSS: true,
      contentVisibilityAuto: true,
    });
  }
  for (let n: Element | null = el; n; n = n.parentElement) {
    const s = getComputedStyle(n);
    if (s.display === 'none' || s.opacity === '0') return true;
    if (n === el && s.visibility !== 'visible') return true;
  }
  return false;
}

function zeroRect(r: DOMRect): boolean {
  return r.width < 2 || r.height < 2;
}

/** A CSS clip or clip-path that leaves nothing of the box. */
function clipped(style: CSSStyleDeclaration): boolean {
  const clip = style.clip.replace(/\s+/g, '');
  return (
    /^rect\(((0(px)?,?){2,4}|1px,1px,1px,1px\)$)/.test(clip) ||
    /inset\((50|100)%\)|circle\(0(px|%)?\)|polygon\(0(px)?\s+0(px)?\)/.test(style.clipPath)
  );
}

/**
 * Whether a person can see and reach the control: not `hidden`, `inert` or `aria-hidden`, not a
 * `tabindex=-1` decoy, not hidden by CSS (display, visibility, opacity 0 or near it), not zero-size, not
 * clipped away, not off-screen, not inside a zero-size box that hides its overflow. A `<select>`
 * hidden behind a visible combobox that stands in for it (Select2, Choices, Chosen) is reachable
 * through that widget.
 */
export function reachable(control: FillableControl, hiding: Map<Element, boolean> = new Map()): boolean {
  const offScreen = () => {
    const rect = control.getBoundingClientRect();
    const view = control.ownerDocument.defaultView ?? window;
    const width = Math.max(view.innerWidth, control.ownerDocument.documentElement.clientWidth);
    return zeroRect(rect) || rect.right + view.scrollX <= 0 || rect.bottom + view.scrollY <= 0 || rect.left >= width + 200;
  };
  if (control.closest('[hidden], [inert], [aria-hidden="true"]') || control.getAttribute('tabindex') === '-1' || cssHidden(control) || offScreen()) {
    return control instanceof HTMLSelectElement && hasStandIn(control);
  }
  // Clipped away, or inside a zero-size box hiding its overflow; ancestors are judged once per pass (`hiding`).
  for (let n: Element | null = control; n && n !== control.ownerDocument.body; n = n.parentElement) {
    let hides = hiding.get(n);
    if (hides === undefined) {
      const style = getComputedStyle(n);
      // A near-zero opacity (`opacity: 0.001`, a honeypot's trick against `opacity: 0` checks) hides too.
      hides =
        clipped(style) ||
        Number.parseFloat(style.opacity) < 0.05 ||
        (n !== control && /hidden|clip/.test(style.overflow) && zeroRect(n.getBoundingClientRect()));
      if (n !== control) hiding.set(n, hides);
    }
    if (hides) return false;
  }
  return true;
}

/** A visible combobox right beside (or around) a hidden select, which the person uses instead. */
function hasStandIn(select: HTMLSelectElement): boolean {
  // Choices.js wraps its hidden select in the combobox itself.
  const around = select.parentElement?.closest('[role="combobox"]');
  if (around && !cssHidden(around) && !zeroRect(around.getBoundingClientRect())) return true;
  const near = [select.nextElementSibling, select.parentElement?.nextElementSibling, select.parentElement].filter(
    (n): n is Element => n instanceof Element,
  );
  for (const n of near) {
    const box = n.matches('[role="combobox"]') ? n : n.querySelector('[role="combobox"]');
    if (box && box !== select && !cssHidden(box) && !zeroRect(box.getBoundingClientRect())) return true;
  }
  return false;
}

/** Whether the control's own label, name or description marks it as a spam trap. */
export function isTrap(control: FillableControl): boolean {
  const name = `${control.getAttribute('name') ?? ''} ${control.id}`;
  if (TRAP_NAME.test(name.replace(/-/g, '_'))) return true;
  const texts = [labelText(control), idrefText(control, 'aria-describedby'), control.getAttribute('placeholder') ?? ''];
  // A trap's wrapper often carries the instruction instead of a label.
  const wrapper = control.parentElement?.closest('div, p, li, span');
  if (wrapper && wrapper.querySelectorAll('input, select, textarea').length === 1) texts.push(wrapper.textContent ?? '');
  return texts.some((t) => TRAP.test(folded(t)));
}

/**
 * What the form says about the shipping address: `'different'` (a checked "ship to a different
 * address", an unchecked "same as billing" / "use my billing address"), `'same'` (the opposite), or
 * undefined when the form says nothing. Only toggles whose subject is the shipping address count:
 * "billing same as shipping" is about the billing address, which is the purchaser's either way.
 */
export function shippingChoice(controls: readonly Element[]): 'different' | 'same' | undefined {
  const DIFFERENT =
    /\b(ship(ping)? (to )?(a |an )?(different|another|other|new) (address|location|person)|different (shipping|delivery) address|(shipping|delivery) address (is )?(different|differs)|differs? from (the |my )?billing|direccion de envio (es )?(diferente|distinta)|adresse de livraison (est )?differente|deliver(y)? to (a )?(different|another) address|send to (a )?different address|enviar a (una |otra )?(direccion )?(diferente|distinta|otra)|otra direccion de envio|entregar en otra direccion|expedier a une (autre )?adresse|livrer a une (autre|nouvelle) adresse|autre adresse de livraison)\b/;
  const SAME =
    /\b(same as (the |my )?billing|use (my |the )?billing (address|details)|ship to (my |the )?billing address|same address for shipping|shipping same|usebilling|use billing|misma (direccion )?que (la )?(de )?facturacion|igual (a|que) (la )?(direccion de )?facturacion|usar (la )?direccion de facturacion|utiliser (l )?adresse de facturation|identique a (l )?adresse de facturation|meme adresse que (la |l )?(adresse de )?facturation)\b/;
  let answer: 'different' | 'same' | undefined;
  for (const el of controls) {
    // A "Ship to: [my address | a different address]" select says it by its chosen option.
    if (el instanceof HTMLSelectElement) {
      const option = el.selectedOptions[0];
      const text = folded(`${labelText(el)} ${el.getAttribute('name') ?? ''}`);
      if (!option || !/\b(ship|shipping|deliver|delivery|envio|enviar|livraison|livrer)\b/.test(text)) continue;
      const chosen = folded(option.text);
      if (DIFFERENT.test(chosen) || /\b(different|another|other|new|someone else|diferente|distinta|otra|autre|differente|nouvelle)\b/.test(chosen))
        return 'different';
      if (SAME.test(chosen) || /\b(same|my address|billing|misma|facturacion|meme|identique|facturation)\b/.test(chosen)) return 'same';
      continue;
    }
    if (!(el instanceof HTMLInputElement) || (el.type !== 'checkbox' && el.type !== 'radio')) continue;
    const text = folded([el.getAttribute('name') ?? '', el.id, el.type === 'radio' ? el.value : '', labelText(el)].join(' '));
    const different = DIFFERENT.test(text);
    const same = !different && SAME.test(text);
    if (!different && !same) continue;
    if (el.type === 'radio' && !el.checked) continue;
    answer = (different ? el.checked : !el.checked) ? 'different' : 'same';
    if (el.type === 'radio' || el.checked) return answer;
  }
  return answer;
}

/** A person has one of each: a second plain one in a block is someone else's (a phone may repeat: home, mobile). */
const ONCE: ReadonlySet<PortalField> = new Set(['firstName', 'lastName', 'fullName', 'email']);

/** Fields whose value the purchaser may have twice (the same email in "Email" and "Confirm email"). */
const IDENTITY: ReadonlySet<PortalField> = new Set(['firstName', 'lastName', 'fullName', 'email', 'phone', 'company']);

/**
 * Splits recognised fields into the purchaser's own and the rest, with why. Rules, in order:
 * a field the page marks (`data-portal-field`) is the purchaser's; a field its context gives to
 * someone else is not (`other-person`); of several `section-*` groups or indexed rows
 * (`attendees[1][…]`), only the purchaser's — the one marked billing, else the unsectioned fields,
 * else the first — is; when the form says the goods ship to a different address, or a shipping
 * field names a recipient, the shipping block is the recipient's (`recipient`); a second plain
 * field of the same kind in the same block (a second "Email" without "confirm") is someone else's
 * (`repeated`). Visibility is judged separately (`reachable`).
 */
export interface Judgement {
  /** Why each field is not the purchaser's, or undefined when it is. */
  readonly reasons: Map<FillableControl, NotOwnReason | undefined>;
  /** Fields in an organization's own block ("on behalf of an organization", "Company details"). */
  readonly organization: Set<FillableControl>;
}

export function judge(items: readonly FieldItem[], controls: readonly Element[], asCompany = false): Judgement {
  const out = new Map<FillableControl, NotOwnReason | undefined>();
  const organization = new Set<FillableControl>();
  const ordered = [...items].sort((a, b) => byDocumentOrder(a.control, b.control));
  // An organization's own block is the purchaser's when filling as the company, someone else's otherwise.
  const verdicts = new Map(
    ordered.map((i) => {
      const v = i.classification.source === 'explicit' ? 'self' : whose(i.control);
      if (v === 'organization') organization.add(i.control);
      return [i.control, v === 'organization' ? (asCompany ? 'self' : 'other') : v] as const;
    }),
  );

  // `section-*` groups and numbered rows (`attendees[0][…]`, `attendees[1][…]`) stand for separate
  // people only when a field repeats across them (a given name in each); blocks of one person's
  // details that merely carry section names (`section-personal`, `section-billing`) are one person.
  const identity = ordered.filter((i) => IDENTITY.has(i.classification.field));
  const groupOf = (c: FieldClassification) => `${c.group}|${c.person}`;
  const spread = new Map<string, Set<string>>();
  for (const { classification: c } of identity) {
    const key = `${c.field}|${c.section}`;
    spread.set(key, (spread.get(key) ?? new Set()).add(groupOf(c)));
  }
  const people = [...spread.values()].some((groups) => groups.size > 1);
  // The purchaser's: the section marked billing, else the first unsectioned fields (rows: the first
  // row, unless the purchaser's own unnumbered fields come first), else the first group.
  const ownable = identity.filter((i) => verdicts.get(i.control) !== 'other').map((i) => i.classification);
  const billing = identity.find((i) => i.classification.section === 'billing' && i.classification.group)?.classification;
  const own = billing ?? ownable.find((c) => c.group === '') ?? ownable[0];
  // Rows of people are the rows holding someone's name, email or phone; an address row of its own
  // (`wpforms[fields][8][city]`) is nobody's row.
  const peopleRows = new Set(identity.map((i) => i.classification.person));
  const notOwnGroup = (c: FieldClassification) =>
    people &&
    own !== undefined &&
    (c.group !== own.group || (c.person !== '' && c.person !== (billing ? c.person : own.person) && peopleRows.has(c.person)));

  const choice = shippingChoice(controls);
  const recipientNamed = ordered.some((i) => i.classification.section === 'shipping' && verdicts.get(i.control) === 'other');
  const seen = new Set<string>();
  for (const { control, classification: c } of ordered) {
    const verdict = verdicts.get(control);
    let reason: NotOwnReason | undefined;
    if (c.source === 'explicit') reason = undefined;
    else if (c.section === 'shipping' && (choice === 'different' || (recipientNamed && choice !== 'same'))) reason = 'recipient';
    else if (verdict === 'other') reason = 'other-person';
    else if (notOwnGroup(c)) reason = 'other-person';
    else if (ONCE.has(c.field) && !c.confirm) {
      const key = `${groupOf(c)}|${c.section}|${c.field}|${organization.has(control)}`;
      if (seen.has(key)) reason = 'repeated';
      seen.add(key);
    }
    out.set(control, reason);
  }
  return { reasons: out, organization };
}
