/**
 * The staff demo page (DESIGN §1.1, §1.9): portal info with its QR code, the constituent grid,
 * invitations with merge fields (preview, send, tracking) and duplicate candidates (merge, dismiss),
 * through the admin API with the org's API key as bearer.
 *
 * The page stands in for the association's staff system: in production the admin key stays on that
 * system's server. Everything is built with DOM calls; constituent data is only ever text, and the
 * rendered HTML email is shown in a sandboxed frame (no scripts, no same-origin access).
 */
import type * as z from 'zod/mini';
import { ErrorBody, type ErrorCode, type FieldErrorCode } from '../../src/api/contract.ts';
import type { AdminConstituent, ConstituentGrid, DuplicateList } from '../../src/api/admin.ts';
import type { AdminPortalInfo, Invitation, InvitationList, InvitationPreview, InvitationResult } from '../../src/api/admin.ts';

type Grid = z.infer<typeof ConstituentGrid>;
type Duplicate = z.infer<typeof DuplicateList>['duplicates'][number];
type Preview = z.infer<typeof InvitationPreview>;
type Skipped = Preview['skipped'][number];
type Channel = 'email' | 'sms';
type PortalInfo = z.infer<typeof AdminPortalInfo>;

const root = document.getElementById('admin')!;
const apiBase = root.dataset.api!.replace(/\/$/, '');
const org = root.dataset.org!;
const adminKey = root.dataset.key!;
const base = `${apiBase}/v1/orgs/${encodeURIComponent(org)}/admin`;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

// ----- talking to the admin API ------------------------------------------------------------------

class AdminError extends Error {
  constructor(
    readonly code: ErrorCode | 'network' | 'unexpected',
    readonly fields: Record<string, FieldErrorCode> = {},
  ) {
    super(code);
  }
}

async function request(path: string, init: { method?: string; json?: unknown } = {}): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${adminKey}`, ...(init.json === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init.json === undefined ? null : JSON.stringify(init.json),
      cache: 'no-store',
    });
  } catch {
    throw new AdminError('network');
  }
  if (res.ok) return res;
  const parsed = ErrorBody.safeParse(await res.json().catch(() => undefined));
  if (parsed.success) throw new AdminError(parsed.data.error.code, parsed.data.error.fields);
  throw new AdminError(res.status === 404 ? 'not_found' : 'unexpected');
}

async function getJson<T>(path: string, init?: { method?: string; json?: unknown }): Promise<T> {
  return (await (await request(path, init)).json()) as T;
}

const ERROR_TEXT: Record<AdminError['code'], string> = {
  invalid_input: 'some of what was entered is not accepted.',
  invalid_credentials: 'the portal API refused the credentials.',
  token_invalid: 'the link or token is no longer valid.',
  rate_limited: 'too many requests at once. Wait a few seconds and try again.',
  origin_not_allowed: "the portal API does not accept requests from this page's address (it is not in the organization's allowed origins).",
  payload_too_large: 'that is too much at once. Select fewer people or shorten the message.',
  unsupported_media_type: 'the portal API did not understand the request.',
  unauthorized: "the portal API refused this page's admin API key. Check the key the staff system is configured with.",
  not_found: 'it was not found. It may have been merged or removed already; refresh and try again.',
  server_error: 'the portal API ran into a problem. Try again in a moment.',
  network: 'the portal API cannot be reached. Is `npm start` still running?',
  unexpected: 'the portal API gave an unexpected answer. Try again in a moment.',
};
const FIELD_LABEL: Record<string, string> = {
  constituentIds: 'the selection',
  channel: '"Send by"',
  subject: 'the subject',
  message: 'the message',
  q: 'the search',
  sourceId: 'the record to merge',
  targetId: 'the existing record',
};
const FIELD_TEXT: Partial<Record<FieldErrorCode, string>> = {
  required: 'is required',
  too_long: 'is too long',
  invalid_choice: 'is not one of the choices',
  invalid_characters: 'contains characters that are not allowed',
};

/** A sentence for a person: what failed, and why in plain words (never the raw error body). */
function explain(what: string, err: unknown): string {
  if (!(err instanceof AdminError)) return `${what}: something went wrong on this page. Reload it and try again.`;
  const details = [
    ...new Set(Object.entries(err.fields).map(([f, c]) => `${FIELD_LABEL[f.split('.')[0]!] ?? f} ${FIELD_TEXT[c] ?? 'is not valid'}`)),
  ];
  return `${what}: ${details.length ? `${details.join('; ')}.` : ERROR_TEXT[err.code]}`;
}

// ----- small DOM helpers -------------------------------------------------------------------------

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function say(target: HTMLElement, text: string, kind: 'info' | 'success' | 'error' = 'info') {
  target.textContent = text;
  target.dataset.kind = kind;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
function when(iso: string | null): HTMLElement {
  if (!iso) return el('span', '—', 'note');
  const t = el('time', dateFormat.format(new Date(iso)));
  t.dateTime = iso;
  return t;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = el('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function busy<T>(buttons: HTMLButtonElement[], work: () => Promise<T>): Promise<T> {
  for (const b of buttons) {
    b.disabled = true;
    b.setAttribute('aria-busy', 'true');
  }
  try {
    return await work();
  } finally {
    for (const b of buttons) {
      b.disabled = false;
      b.removeAttribute('aria-busy');
    }
  }
}

// ----- people: names for every table, from whatever the page has loaded --------------------------

const people = new Map<string, AdminConstituent>();

function fullName(p: AdminConstituent): string {
  return `${p.firstName} ${p.lastName}`.trim() || p.email;
}
/** How a record is named in sentences and in the invitations table (a company by its company name). */
function displayName(p: AdminConstituent): string {
  return p.kind === 'company' && p.companyName ? p.companyName : fullName(p);
}
function nameOf(id: string, fallback = 'Someone not in the list'): string {
  const p = people.get(id);
  return p ? displayName(p) : fallback;
}

/** Looks up records the page has not seen yet (for the invitations table), a few at a time. */
async function learn(ids: string[]) {
  const missing = [...new Set(ids)].filter((id) => !people.has(id)).slice(0, 100);
  for (let i = 0; i < missing.length; i += 8) {
    await Promise.all(
      missing.slice(i, i + 8).map(async (id) => {
        try {
          const { constituent } = await getJson<{ constituent: AdminConstituent }>(`/constituents/${encodeURIComponent(id)}`);
          people.set(id, constituent);
        } catch {
          // The row falls back to the address the invitation went to.
        }
      }),
    );
  }
}

// ----- a. portal info ----------------------------------------------------------------------------

const portalStatus = $('portal-status');
let mergeFields: string[] = [];
/** The API's default texts (GET …/admin/portal), shown as placeholders: an empty field sends these. */
let defaults: PortalInfo['invitationDefaults'] | undefined;

const TIER_TEXT = { advanced: 'Advanced Portal', basic: 'Basic Portal' } as const;
const POLICY_TEXT: Record<string, string> = {
  'email-and-name': 'Email and name — an account links to the record whose primary email and name both match',
  'verified-email': 'Verified email — the confirmed email alone links to the record that has it',
};

async function loadPortal() {
  try {
    const info = await getJson<PortalInfo>('/portal');
    const link = el('a', info.portalUrl);
    link.href = info.portalUrl;
    const facts: Array<[string, string | Node]> = [
      ['Organization', info.name],
      ['Portal tier', TIER_TEXT[info.tier] ?? info.tier],
      ['Portal URL', link],
      ['Matching', POLICY_TEXT[info.matchPolicy] ?? info.matchPolicy],
    ];
    $('portal-facts').replaceChildren(
      ...facts.flatMap(([k, v]) => {
        const dd = el('dd');
        dd.append(v);
        return [el('dt', k), dd];
      }),
    );
    const img = $<HTMLImageElement>('qr-image');
    img.alt = `QR code that opens the ${info.name} portal (${info.portalUrl})`;
    img.addEventListener('error', () => {
      portalStatus.hidden = false;
      say(portalStatus, 'The QR code image did not load. The download links below may still work; try again in a moment.', 'error');
    });
    img.src = info.qrCodeUrl;
    const png = $<HTMLAnchorElement>('qr-png');
    png.href = `${info.qrCodePngUrl}?size=1024`;
    png.dataset.filename = `${info.slug}-portal-qr.png`;
    const svg = $<HTMLAnchorElement>('qr-svg');
    svg.href = info.qrCodeUrl;
    svg.dataset.filename = `${info.slug}-portal-qr.svg`;
    $('portal-info-body').hidden = false;
    portalStatus.hidden = true;
    mergeFields = [...info.mergeFields];
    defaults = info.invitationDefaults;
    showPlaceholders();
    renderMergeButtons();
  } catch (err) {
    say(portalStatus, explain('Could not load the portal info', err), 'error');
  }
}

// The QR files are on the API's origin, where `download` is ignored: fetch them and save a copy.
for (const id of ['qr-png', 'qr-svg']) {
  const a = $<HTMLAnchorElement>(id);
  a.addEventListener('click', async (event) => {
    event.preventDefault();
    try {
      const res = await fetch(a.href);
      if (!res.ok) throw new AdminError('unexpected');
      saveBlob(await res.blob(), a.dataset.filename ?? 'portal-qr');
    } catch (err) {
      portalStatus.hidden = false;
      say(portalStatus, explain('Could not download the QR code', err instanceof AdminError ? err : new AdminError('network')), 'error');
    }
  });
}

// ----- b. constituents ---------------------------------------------------------------------------

const searchForm = $<HTMLFormElement>('search-form');
const searchInput = $<HTMLInputElement>('search-q');
const gridStatus = $('grid-status');
const gridBody = $('grid-body');
const selectAll = $<HTMLInputElement>('select-all');
const selected = new Set<string>();
let shown: AdminConstituent[] = [];
let gridSeq = 0;

function query(extra: Record<string, string> = {}): string {
  const q = searchInput.value.trim();
  return new URLSearchParams({ ...(q ? { q } : {}), ...extra }).toString();
}

async function loadGrid() {
  const seq = ++gridSeq;
  const q = searchInput.value.trim();
  say(gridStatus, 'Searching…');
  try {
    const data = await getJson<Grid>(`/constituents?${query({ limit: '50' })}`);
    if (seq !== gridSeq) return;
    shown = data.constituents;
    for (const p of shown) people.set(p.id, p);
    renderGrid();
    const matching = q ? ` matching “${q}”` : '';
    say(
      gridStatus,
      data.total === 0
        ? q
          ? `No one matches “${q}”.`
          : 'No constituents yet.'
        : data.total > shown.length
          ? `Showing the first ${shown.length} of ${data.total} constituents${matching}. Narrow the search to see the others.`
          : `${plural(data.total, 'constituent')}${matching}.`,
    );
  } catch (err) {
    if (seq === gridSeq) say(gridStatus, explain('Could not search the constituents', err), 'error');
  }
}

function renderGrid() {
  gridBody.closest<HTMLElement>('.table-wrap')!.hidden = shown.length === 0;
  gridBody.replaceChildren(
    ...shown.map((p) => {
      const tr = el('tr');
      const check = el('td', undefined, 'col-check');
      const box = el('input');
      box.type = 'checkbox';
      box.id = `pick-${p.id}`;
      box.checked = selected.has(p.id);
      box.addEventListener('change', () => {
        if (box.checked) selected.add(p.id);
        else selected.delete(p.id);
        selectionChanged();
      });
      const label = el('label', `Select ${displayName(p)}`, 'visually-hidden');
      label.htmlFor = box.id;
      check.append(box, label);
      const name = el('th');
      name.scope = 'row';
      name.append(fullName(p));
      if (p.kind === 'company') name.append(' ', el('span', 'company record', 'badge'));
      const account = el('td', p.hasAccount ? 'Yes' : 'No', p.hasAccount ? 'has-account' : 'no-account');
      tr.append(check, name, el('td', p.companyName ?? '—'), el('td', p.email || '—'), el('td', p.phone ?? '—'), account);
      return tr;
    }),
  );
  syncSelectAll();
}

function syncSelectAll() {
  const picked = shown.filter((p) => selected.has(p.id)).length;
  selectAll.disabled = shown.length === 0;
  selectAll.checked = shown.length > 0 && picked === shown.length;
  selectAll.indeterminate = picked > 0 && picked < shown.length;
}

selectAll.addEventListener('change', () => {
  for (const p of shown) {
    if (selectAll.checked) selected.add(p.id);
    else selected.delete(p.id);
  }
  for (const box of gridBody.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')) box.checked = selectAll.checked;
  selectionChanged();
});

let searchTimer: ReturnType<typeof setTimeout> | undefined;
searchInput.addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => void loadGrid(), 300);
});
searchForm.addEventListener('submit', (event) => {
  event.preventDefault();
  clearTimeout(searchTimer);
  void loadGrid();
});

const csvButton = $<HTMLButtonElement>('csv-download');
csvButton.addEventListener('click', () =>
  busy([csvButton], async () => {
    // A link cannot carry the bearer header, so fetch the CSV and hand the browser a copy to save.
    try {
      const res = await request(`/constituents.csv?${query()}`);
      const filename = `${org}-constituents.csv`;
      saveBlob(await res.blob(), filename);
      say(gridStatus, `Downloaded ${filename}${searchInput.value.trim() ? ' (the constituents matching the search)' : ''}.`, 'success');
    } catch (err) {
      say(gridStatus, explain('Could not download the CSV', err), 'error');
    }
  }),
);

// ----- c. invite the selected --------------------------------------------------------------------

const FIELD_NAMES: Record<string, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  companyName: 'Company name',
  email: 'Primary email',
  portalUrl: 'Portal link',
  qrCodeUrl: 'QR code image',
  orgName: 'Organization name',
};
const SKIP_TEXT: Record<Skipped['reason'], string> = {
  has_account: 'already has a portal account',
  no_email: 'has no email address',
  no_phone: 'has no phone number for text messages',
  not_found: 'is no longer in the records (merged or removed)',
};

const inviteForm = $<HTMLFormElement>('invite-form');
const subjectField = $('subject-field');
const subjectInput = $<HTMLInputElement>('invite-subject');
const messageInput = $<HTMLTextAreaElement>('invite-message');
const inviteStatus = $('invite-status');
const previewBox = $('preview');
const previewButton = $<HTMLButtonElement>('preview-button');
const sendButton = $<HTMLButtonElement>('send-button');
let lastField: HTMLInputElement | HTMLTextAreaElement = messageInput;

function channel(): Channel {
  return new FormData(inviteForm).get('channel') === 'sms' ? 'sms' : 'email';
}

function showPlaceholders() {
  subjectInput.placeholder = defaults?.subject ?? '';
  messageInput.placeholder = defaults?.[channel()] ?? '';
}

function channelChanged() {
  const c = channel();
  subjectField.hidden = c === 'sms';
  showPlaceholders();
  if (c === 'sms') lastField = messageInput;
  clearPreview();
}

function renderMergeButtons() {
  $('merge-fields').replaceChildren(
    ...mergeFields.map((name) => {
      const b = el('button', undefined, 'merge-field');
      b.type = 'button';
      b.append(`${FIELD_NAMES[name] ?? name} `, el('code', `{{${name}}}`));
      b.addEventListener('click', () => {
        const target = subjectField.hidden ? messageInput : lastField;
        const start = target.selectionStart ?? target.value.length;
        target.setRangeText(`{{${name}}}`, start, target.selectionEnd ?? start, 'end');
        target.focus();
        clearPreview();
      });
      return b;
    }),
  );
}

function selectionChanged() {
  syncSelectAll();
  const summary = $('selection-summary');
  if (selected.size === 0) {
    summary.replaceChildren('No one selected yet: tick people in the grid above.');
  } else {
    const names = [...selected].map((id) => nameOf(id));
    const listed = names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
    const clear = el('button', 'Clear selection', 'link-button');
    clear.type = 'button';
    clear.addEventListener('click', () => {
      selected.clear();
      renderGrid();
      selectionChanged();
      searchInput.focus();
    });
    summary.replaceChildren(el('strong', `${plural(selected.size, 'person', 'people')} selected: `), listed, ' ', clear);
  }
  clearPreview();
}

function clearPreview() {
  previewBox.hidden = true;
  previewBox.replaceChildren();
}

function invitationBody() {
  const c = channel();
  const subject = subjectInput.value.trim();
  const message = messageInput.value.trim();
  return {
    constituentIds: [...selected],
    channel: c,
    ...(c === 'email' && subject ? { subject } : {}),
    ...(message ? { message } : {}),
  };
}

function skippedList(skipped: Skipped[]): HTMLElement {
  const ul = el('ul', undefined, 'skipped');
  for (const s of skipped) ul.append(el('li', `${nameOf(s.constituentId)} ${SKIP_TEXT[s.reason] ?? 'cannot be invited'}`));
  return ul;
}

const channelText = (c: Channel) => (c === 'email' ? 'email' : 'text message');

function renderPreview(data: Preview) {
  const parts: HTMLElement[] = [el('h3', 'Preview — nothing has been sent')];
  if (data.unknownFields.length) {
    const warn = el('div', undefined, 'warning');
    warn.append(
      el('strong', `Unknown merge ${data.unknownFields.length === 1 ? 'field' : 'fields'}: `),
      data.unknownFields.map((f) => `{{${f}}}`).join(', '),
      el('br'),
      `${data.unknownFields.length === 1 ? 'It' : 'They'} would reach people exactly as written. Check the spelling; the merge fields are ${mergeFields.map((f) => `{{${f}}}`).join(', ')}.`,
    );
    parts.push(warn);
  }
  const limit = 20;
  for (const p of data.previews.slice(0, limit)) {
    const item = el('article', undefined, 'preview-item');
    const head = el('h4');
    head.append(`To ${nameOf(p.constituentId, p.to)} `, el('span', `${p.to} · ${channelText(p.channel)}`, 'note'));
    item.append(head);
    if (p.subject !== null) {
      const subject = el('p', undefined, 'preview-subject');
      subject.append(el('span', 'Subject: ', 'note'), p.subject);
      item.append(subject);
    }
    item.append(el('pre', p.text, 'preview-text'));
    if (p.html !== null) {
      const details = el('details');
      details.append(el('summary', 'Show the HTML email'));
      // sandbox="" : no scripts, no forms, no same-origin access — the markup can only be looked at.
      const frame = el('iframe', undefined, 'preview-html');
      frame.setAttribute('sandbox', '');
      frame.setAttribute('referrerpolicy', 'no-referrer');
      frame.title = `HTML email to ${nameOf(p.constituentId, p.to)}`;
      frame.srcdoc = p.html;
      details.append(frame);
      item.append(details);
    }
    parts.push(item);
  }
  if (data.previews.length > limit) parts.push(el('p', `… and ${data.previews.length - limit} more, each with its own name and link.`, 'note'));
  if (data.skipped.length) parts.push(el('h4', `Will be skipped (${data.skipped.length})`), skippedList(data.skipped));
  previewBox.replaceChildren(...parts);
  previewBox.hidden = false;
}

function needSelection(): boolean {
  if (selected.size > 0) return false;
  say(inviteStatus, 'Select at least one person in the grid first.', 'error');
  searchInput.focus();
  return true;
}

previewButton.addEventListener('click', () => {
  if (needSelection()) return;
  void busy([previewButton, sendButton], async () => {
    say(inviteStatus, 'Preparing the preview…');
    try {
      const data = await getJson<Preview>('/invitations/preview', { method: 'POST', json: invitationBody() });
      renderPreview(data);
      const skipped = data.skipped.length ? ` ${plural(data.skipped.length, 'person', 'people')} will be skipped.` : '';
      const unknown = data.unknownFields.length ? ' Check the unknown merge fields.' : '';
      say(
        inviteStatus,
        `Preview of ${plural(data.previews.length, channelText(channel()))}; nothing sent yet.${skipped}${unknown}`,
        data.unknownFields.length ? 'error' : 'info',
      );
    } catch (err) {
      clearPreview();
      say(inviteStatus, explain('Could not prepare the preview', err), 'error');
    }
  });
});

inviteForm.addEventListener('submit', (event) => {
  event.preventDefault();
  if (needSelection()) return;
  void busy([previewButton, sendButton], async () => {
    say(inviteStatus, 'Sending…');
    try {
      const c = channel();
      const result = await getJson<z.infer<typeof InvitationResult>>('/invitations', { method: 'POST', json: invitationBody() });
      clearPreview();
      const sent = result.invitations.length;
      const skipped = result.skipped.map((s) => `${nameOf(s.constituentId)} ${SKIP_TEXT[s.reason] ?? 'cannot be invited'}`);
      const text = `${sent === 0 ? 'No invitations sent.' : `${plural(sent, 'invitation')} sent by ${channelText(c)}.`}${
        skipped.length ? ` Skipped ${skipped.length}: ${skipped.join('; ')}.` : ''
      }`;
      say(inviteStatus, text, sent > 0 ? 'success' : 'error');
      await loadInvitations();
    } catch (err) {
      say(inviteStatus, explain('Could not send the invitations', err), 'error');
    }
  });
});

for (const radio of inviteForm.querySelectorAll<HTMLInputElement>('input[name="channel"]')) radio.addEventListener('change', channelChanged);
for (const field of [subjectInput, messageInput]) {
  field.addEventListener('focus', () => (lastField = field));
  field.addEventListener('input', clearPreview);
}

// ----- d. invitations ----------------------------------------------------------------------------

const invitationsStatus = $('invitations-status');
const invitationsRefresh = $<HTMLButtonElement>('invitations-refresh');
const invitationsTable = $('invitations-table').parentElement!;
const STATUS_TEXT: Record<Invitation['status'], string> = { sent: 'sent', opened: 'opened', signed_up: 'signed up' };

async function loadInvitations() {
  say(invitationsStatus, 'Loading invitations…');
  try {
    const data = await getJson<z.infer<typeof InvitationList>>('/invitations');
    await learn(data.invitations.map((i) => i.constituentId));
    const s = data.summary;
    $('invitations-summary').replaceChildren(
      ...(
        [
          ['Sent', s.sent],
          ['Opened', s.opened],
          ['Signed up', s.signedUp],
        ] as const
      ).flatMap(([k, v]) => {
        const wrap = el('div');
        wrap.append(el('dt', k), el('dd', String(v)));
        return [wrap];
      }),
    );
    invitationsTable.hidden = data.invitations.length === 0;
    $('invitations-body').replaceChildren(
      ...data.invitations.map((i) => {
        const tr = el('tr');
        const who = el('th', nameOf(i.constituentId, i.to));
        who.scope = 'row';
        const status = el('td');
        status.append(el('span', STATUS_TEXT[i.status], `status status-${i.status}`));
        const cells = [i.sentAt, i.openedAt, i.signedUpAt].map((d) => {
          const td = el('td');
          td.append(when(d));
          return td;
        });
        tr.append(who, el('td', i.channel === 'email' ? 'Email' : 'Text message'), el('td', i.to), status, ...cells);
        return tr;
      }),
    );
    say(
      invitationsStatus,
      data.invitations.length
        ? `${plural(data.invitations.length, 'invitation')}, newest first. Updated ${dateFormat.format(new Date())}.`
        : 'No invitations sent yet.',
    );
  } catch (err) {
    say(invitationsStatus, explain('Could not load the invitations', err), 'error');
  }
}

invitationsRefresh.addEventListener('click', () => void busy([invitationsRefresh], loadInvitations));

// ----- e. possible duplicates --------------------------------------------------------------------

const duplicatesStatus = $('duplicates-status');
const duplicatesList = $('duplicates-list');
const duplicatesRefresh = $<HTMLButtonElement>('duplicates-refresh');
const REASON_TEXT: Record<string, string> = {
  email_match_name_differs: 'Signed up with the email of an existing record, under a different name.',
};

function recordCard(title: string, p: AdminConstituent): HTMLElement {
  const box = el('section', undefined, 'dup-record');
  box.append(el('h4', title));
  const dl = el('dl', undefined, 'info');
  const rows: Array<[string, string]> = [
    ['Name', fullName(p)],
    ['Email', p.email || '—'],
    ['Company', p.companyName ?? '—'],
    ['Portal account', p.hasAccount ? 'Yes' : 'No'],
    ['Record created', dateFormat.format(new Date(p.createdAt))],
  ];
  dl.append(...rows.flatMap(([k, v]) => [el('dt', k), el('dd', v)]));
  box.append(dl);
  return box;
}

function renderDuplicates(dups: Duplicate[]) {
  duplicatesList.replaceChildren(
    ...dups.map((d) => {
      const item = el('article', undefined, 'dup');
      item.dataset.id = d.id;
      const heading = el('h3', `${displayName(d.constituent)} and ${displayName(d.existing)}`);
      heading.id = `dup-${d.id}`;
      const reason = el('p', `${REASON_TEXT[d.reason] ?? 'Possibly the same person.'} Found ${dateFormat.format(new Date(d.createdAt))}.`, 'note');
      const pair = el('div', undefined, 'dup-pair');
      pair.append(recordCard('New record (from portal sign-up)', d.constituent), recordCard('Existing record', d.existing));
      const actions = el('div', undefined, 'admin-actions');
      const merge = el('button', 'Merge into existing', 'primary');
      const dismiss = el('button', 'Not a duplicate', 'secondary');
      for (const b of [merge, dismiss]) {
        b.type = 'button';
        b.setAttribute('aria-describedby', heading.id);
      }
      merge.addEventListener('click', () => void mergePair(d, [merge, dismiss]));
      dismiss.addEventListener('click', () => void dismissPair(d, [merge, dismiss]));
      actions.append(merge, dismiss);
      item.append(heading, reason, pair, actions);
      return item;
    }),
  );
}

async function loadDuplicates() {
  say(duplicatesStatus, 'Loading possible duplicates…');
  try {
    const { duplicates } = await getJson<z.infer<typeof DuplicateList>>('/duplicates');
    for (const d of duplicates) {
      people.set(d.constituent.id, d.constituent);
      people.set(d.existing.id, d.existing);
    }
    renderDuplicates(duplicates);
    return duplicates.length;
  } catch (err) {
    say(duplicatesStatus, explain('Could not load the possible duplicates', err), 'error');
    return undefined;
  }
}

/** Reloads the list and says what happened (plus what is left) in one announcement. */
async function afterDuplicateAction(done: string) {
  const left = await loadDuplicates();
  if (left === undefined) return;
  say(
    duplicatesStatus,
    `${done}${done ? ' ' : ''}${left ? `${plural(left, 'possible duplicate')} to review.` : 'No possible duplicates to review.'}`,
    done ? 'success' : 'info',
  );
  // The buttons just used are gone: keep keyboard focus in the section.
  if (done) $('duplicates-heading').focus();
}

async function mergePair(d: Duplicate, buttons: HTMLButtonElement[]) {
  const from = displayName(d.constituent);
  const into = displayName(d.existing);
  const ok = confirm(
    `Merge “${from}” (new record) into “${into}” (existing record)?\n\nThe portal account, memberships and history of the new record move to the existing record; its empty values are filled from the new one. This cannot be undone.`,
  );
  if (!ok) return;
  await busy(buttons, async () => {
    try {
      await request('/merge', { method: 'POST', json: { sourceId: d.constituent.id, targetId: d.existing.id } });
      await afterDuplicateAction(`Merged “${from}” into “${into}”.`);
      selected.delete(d.constituent.id);
      await loadGrid();
    } catch (err) {
      say(duplicatesStatus, explain('Could not merge the records', err), 'error');
    }
  });
}

async function dismissPair(d: Duplicate, buttons: HTMLButtonElement[]) {
  await busy(buttons, async () => {
    try {
      await request(`/duplicates/${encodeURIComponent(d.id)}/dismiss`, { method: 'POST' });
      await afterDuplicateAction(`Marked “${displayName(d.constituent)}” and “${displayName(d.existing)}” as not duplicates.`);
    } catch (err) {
      say(duplicatesStatus, explain('Could not dismiss the pair', err), 'error');
    }
  });
}

duplicatesRefresh.addEventListener('click', () => void busy([duplicatesRefresh], () => afterDuplicateAction('')));

// ----- start -------------------------------------------------------------------------------------

channelChanged();
await Promise.all([loadPortal(), loadGrid(), loadInvitations(), afterDuplicateAction('')]);
