/**
 * `portal-api constituents import --org SLUG FILE.csv` (issue 12; no HTTP here): an organization's
 * existing records — the people who will later sign up and be matched by email and name.
 *
 * - Columns are mapped by header, case- and punctuation-insensitively, with the usual CRM spellings
 *   (`E-mail`, `First Name`, `Surname`, `Zip`, `Membership Level`, …); unknown columns are reported
 *   and ignored; a row that fails validation is rejected with its line number and reasons, the
 *   others go in.
 * - Idempotent: a row's key is its `id` column (the CRM's record id) when the file has one, else a
 *   key derived from email + names + kind. Importing the same file again updates those records (and
 *   their memberships) instead of adding copies; an empty cell never blanks a stored value.
 * - One transaction per batch (default 1000 rows, multi-row statements), so a failure loses at most
 *   the batch being written and a re-run completes the rest.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Org } from '../types.ts';
import { audit } from './audit.ts';
import { normalizeEmail, normalizeName } from './normalize.ts';

// ----- CSV (RFC 4180) ------------------------------------------------------------------------------

/**
 * The file's bytes as text: UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode
 * text"), and otherwise Windows-1252 (what Excel and older CRMs write on Windows) — never a file
 * silently full of replacement characters.
 */
export function decodeCsv(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** The delimiter of the header line: comma, semicolon (European Excel) or tab, whichever it has most of outside quotes. */
export function sniffDelimiter(text: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts]++;
  }
  return counts[';'] > counts[','] && counts[';'] >= counts['\t'] ? ';' : counts['\t'] > counts[','] ? '\t' : ',';
}

/**
 * Parses CSV text: quoted fields with doubled quotes, CRLF / LF, newlines inside quotes, a BOM; the
 * delimiter is sniffed from the header line unless given.
 */
export function parseCsv(text: string, delimiter: string = sniffDelimiter(text.replace(/^\ufeff/, ''))): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let quoted = false;
  while (i < n) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === delimiter) {
      row.push(field);
      field = '';
      i++;
    } else if (ch === '\n' || ch === '\r') {
      row.push(field);
      field = '';
      rows.push(row);
      row = [];
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** One CSV cell, always quoted (RFC 4180), with formula-looking values made inert (OWASP). */
function cell(value: string): string {
  const s = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${s.replace(/"/g, '""')}"`;
}

// ----- header mapping --------------------------------------------------------------------------------

export const IMPORT_FIELDS = [
  'externalId',
  'kind',
  'email',
  'firstName',
  'lastName',
  'companyName',
  'phone',
  'line1',
  'line2',
  'city',
  'region',
  'postalCode',
  'country',
  'membershipName',
  'membershipStatus',
  'membershipStart',
  'membershipEnd',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

const ALIASES: Record<ImportField, string[]> = {
  externalId: [
    'id',
    'externalid',
    'recordid',
    'constituentid',
    'crmid',
    'contactid',
    'accountnumber',
    'constituentnumber',
    'memberid',
    'membernumber',
  ],
  kind: ['kind', 'type', 'constituenttype', 'recordtype', 'contacttype'],
  email: [
    'email',
    'emailaddress',
    'primaryemail',
    'primaryemailaddress',
    'mail',
    'courriel',
    'adressecourriel',
    'adresseemail',
    'correo',
    'correoelectronico',
  ],
  firstName: ['firstname', 'first', 'givenname', 'forename', 'prenom', 'nombre'],
  lastName: ['lastname', 'last', 'surname', 'familyname', 'nom', 'nomdefamille', 'apellido', 'apellidos'],
  companyName: [
    'companyname',
    'company',
    'organization',
    'organisation',
    'organizationname',
    'organisationname',
    'orgname',
    'business',
    'businessname',
    'societe',
    'entreprise',
    'empresa',
    'organizacion',
  ],
  phone: ['phone', 'phonenumber', 'telephone', 'tel', 'mobile', 'mobilephone', 'primaryphone', 'telefono', 'portable', 'movil'],
  line1: ['line1', 'address', 'addressline1', 'address1', 'street', 'streetaddress', 'street1', 'adresse', 'adresse1', 'direccion', 'calle'],
  line2: ['line2', 'addressline2', 'address2', 'street2', 'adresse2', 'complementadresse', 'direccion2'],
  city: ['city', 'town', 'locality', 'ville', 'ciudad', 'localidad'],
  region: ['region', 'state', 'province', 'county', 'stateprovince', 'departement', 'provincia', 'estado'],
  postalCode: ['postalcode', 'postcode', 'zip', 'zipcode', 'postal', 'codepostal', 'cp', 'codigopostal'],
  country: ['country', 'countrycode', 'pays', 'pais'],
  membershipName: ['membership', 'membershipname', 'membershiplevel', 'membershiptype', 'level'],
  membershipStatus: ['membershipstatus', 'status'],
  membershipStart: [
    'membershipstart',
    'membershipstartdate',
    'membershipstarts',
    'startdate',
    'startson',
    'joined',
    'joindate',
    'memberSince'.toLowerCase(),
  ],
  membershipEnd: [
    'membershipend',
    'membershipenddate',
    'membershipends',
    'membershipexpires',
    'membershipexpiry',
    'enddate',
    'endson',
    'expires',
    'expiry',
    'expirydate',
    'expirationdate',
    'renewaldate',
  ],
};

const byAlias = new Map<string, ImportField>();
for (const f of IMPORT_FIELDS) for (const a of ALIASES[f]) byAlias.set(a, f);

/** `Prénom` → `prenom`, `E-mail Address` → `emailaddress`: accents, case, spaces and punctuation do not matter. */
const headerKey = (h: string) =>
  h
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

export interface ColumnMap {
  /** Column index → field. */
  columns: Map<number, ImportField>;
  /** Headers that map to nothing (ignored, reported). */
  ignored: string[];
  /** Problems that stop the import before any row is written. */
  errors: string[];
}

/** Maps headers to fields; `overrides` (`"Header=field"`, from `--map`) win over the aliases. */
export function mapHeaders(headers: string[], overrides: Record<string, string> = {}): ColumnMap {
  const columns = new Map<number, ImportField>();
  const ignored: string[] = [];
  const errors: string[] = [];
  const seen = new Map<ImportField, string>();
  const over = new Map(Object.entries(overrides).map(([h, f]) => [headerKey(h), f]));
  headers.forEach((h, i) => {
    const forced = over.get(headerKey(h));
    if (forced !== undefined && !(IMPORT_FIELDS as readonly string[]).includes(forced)) {
      errors.push(`--map ${h}=${forced}: unknown field (fields: ${IMPORT_FIELDS.join(', ')})`);
      return;
    }
    const field = (forced as ImportField | undefined) ?? byAlias.get(headerKey(h));
    if (!field) {
      if (h.trim()) ignored.push(h);
      return;
    }
    const other = seen.get(field);
    if (other !== undefined) {
      errors.push(`columns "${other}" and "${h}" both map to ${field}; keep one or use --map`);
      return;
    }
    seen.set(field, h);
    columns.set(i, field);
  });
  if (!seen.has('email')) errors.push('no email column (expected a header such as "email" or "Email Address")');
  if (!seen.has('lastName') && !seen.has('companyName')) errors.push('no name columns (expected "first_name"/"last_name" or "company_name")');
  return { columns, ignored, errors };
}

// ----- row validation ----------------------------------------------------------------------------------

export interface ImportRow {
  key: string;
  kind: 'individual' | 'company';
  email: string;
  emailNorm: string;
  firstName: string;
  lastName: string;
  companyName: string | null;
  phone: string | null;
  line1: string | null;
  line2: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
  membership: { name: string; startsOn: string; endsOn: string } | null;
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/u;
/** Control characters and invisible fillers that make two names look alike (issue 9). */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u115f\u1160\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2800\u3164\ufeff\uffa0]/u;

/**
 * A date as YYYY-MM-DD. Accepted: `2027-01-31`, `2027/01/31`, `2027-1-31`, and a date-time whose
 * date part is one of those (`2027-01-31T00:00:00Z`, `2027-01-31 09:30`). Day-first and month-first
 * forms (`01/02/2027`) are refused: the file cannot say which it means.
 */
function isoDate(raw: string): string | null {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(raw);
  if (!m) return null;
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Validates one row; returns the reasons it is rejected, or the row. */
export function validateRow(values: Partial<Record<ImportField, string>>): { row: ImportRow } | { reasons: string[] } {
  const reasons: string[] = [];
  const v = (f: ImportField, max: number): string | null => {
    const raw = (values[f] ?? '').trim().replace(/\s+/gu, ' ');
    if (!raw) return null;
    if (INVISIBLE.test(raw)) {
      reasons.push(`${f}: invisible or control characters`);
      return null;
    }
    if (raw.length > max) {
      reasons.push(`${f}: longer than ${max} characters`);
      return null;
    }
    return raw;
  };
  const externalId = v('externalId', 200);
  const email = v('email', 254);
  const firstName = v('firstName', 100);
  const lastName = v('lastName', 100);
  const companyName = v('companyName', 200);
  const phone = v('phone', 40);
  const line1 = v('line1', 200);
  const line2 = v('line2', 200);
  const city = v('city', 100);
  const region = v('region', 100);
  const postalCode = v('postalCode', 20);
  const countryRaw = v('country', 2);
  const kindRaw = (v('kind', 20) ?? '').toLowerCase();
  const membershipName = v('membershipName', 200);
  const statusRaw = (v('membershipStatus', 20) ?? '').toLowerCase();
  const startRaw = v('membershipStart', 40);
  const endRaw = v('membershipEnd', 40);

  let kind: 'individual' | 'company';
  if (['company', 'organization', 'organisation', 'business', 'org'].includes(kindRaw)) kind = 'company';
  else if (['individual', 'person', 'household', ''].includes(kindRaw))
    kind = kindRaw === '' && !firstName && !lastName && companyName ? 'company' : 'individual';
  else {
    reasons.push(`kind: "${values.kind}" is neither individual nor company`);
    kind = 'individual';
  }
  if (!email) reasons.push('email: required');
  else if (!EMAIL.test(email)) reasons.push(`email: not an email address`);
  if (kind === 'individual') {
    if (!firstName) reasons.push('firstName: required');
    if (!lastName) reasons.push('lastName: required');
  } else if (!companyName) reasons.push('companyName: required for a company');
  const country = countryRaw ? countryRaw.toUpperCase() : null;
  if (country && !/^[A-Z]{2}$/.test(country)) reasons.push('country: two-letter ISO code expected (US, GB, FR)');

  let membership: ImportRow['membership'] = null;
  if (membershipName) {
    const endsOn = endRaw ? isoDate(endRaw) : null;
    const startsOn = startRaw ? isoDate(startRaw) : null;
    if (endRaw && !endsOn) reasons.push(`membershipEnd: "${endRaw}" is not a date as YYYY-MM-DD`);
    if (startRaw && !startsOn) reasons.push(`membershipStart: "${startRaw}" is not a date as YYYY-MM-DD`);
    if (!endRaw) reasons.push('membershipEnd: required with a membership (YYYY-MM-DD)');
    if (statusRaw && !['current', 'active', 'expired', 'lapsed', 'inactive'].includes(statusRaw))
      reasons.push(`membershipStatus: "${values.membershipStatus}" is not current or expired`);
    if (endsOn) {
      const start = startsOn ?? addDays(endsOn, -365);
      if (start > endsOn) reasons.push('membershipStart: after membershipEnd');
      membership = { name: membershipName, startsOn: start, endsOn };
    }
  } else if (startRaw || endRaw) reasons.push('membershipName: required when membership dates are given');

  if (reasons.length) return { reasons };
  const emailNorm = normalizeEmail(email!);
  const key = externalId
    ? `id:${externalId}`
    : `row:${createHash('sha256')
        .update([kind, emailNorm, normalizeName(firstName), normalizeName(lastName), normalizeName(companyName)].join('\u0000'))
        .digest('base64url')}`;
  return {
    row: {
      key,
      kind,
      email: email!,
      emailNorm,
      firstName: firstName ?? '',
      lastName: lastName ?? '',
      companyName: kind === 'company' ? companyName : companyName,
      phone,
      line1,
      line2,
      city,
      region,
      postalCode,
      country,
      membership,
    },
  };
}

// ----- import ------------------------------------------------------------------------------------------

export interface Rejected {
  /** 1-based line of the file (the header is line 1). */
  line: number;
  reasons: string[];
  cells: string[];
}

export interface ImportReport {
  org: string;
  rows: number;
  inserted: number;
  updated: number;
  memberships: number;
  rejected: Rejected[];
  ignoredColumns: string[];
  durationMs: number;
}

export class ImportError extends Error {}

export interface ImportOptions {
  batchSize?: number;
  overrides?: Record<string, string>;
  actor?: string;
  onProgress?: (done: number, total: number) => void;
}

/** Imports parsed CSV (`rows[0]` is the header) into the org. */
export async function importConstituents(db: Kysely<DB>, org: Org, rows: string[][], opts: ImportOptions = {}): Promise<ImportReport> {
  const started = performance.now();
  if (rows.length === 0) throw new ImportError('the file is empty (expected a header row)');
  const [headers, ...data] = rows as [string[], ...string[][]];
  const map = mapHeaders(headers, opts.overrides);
  if (map.errors.length) throw new ImportError(map.errors.join('\n'));
  const rejected: Rejected[] = [];
  const valid: { line: number; row: ImportRow }[] = [];
  const byKey = new Map<string, number>();
  data.forEach((cells, i) => {
    const line = i + 2;
    if (cells.length === 1 && cells[0]!.trim() === '') return; // blank line
    const values: Partial<Record<ImportField, string>> = {};
    for (const [idx, field] of map.columns) values[field] = cells[idx] ?? '';
    if (cells.length > headers.length && cells.slice(headers.length).some((c) => c.trim())) {
      rejected.push({ line, reasons: [`has ${cells.length} cells, the header has ${headers.length}`], cells });
      return;
    }
    const r = validateRow(values);
    if ('reasons' in r) {
      rejected.push({ line, reasons: r.reasons, cells });
      return;
    }
    // The same record twice in one file: the later row wins (one statement cannot touch a row twice).
    const prev = byKey.get(r.row.key);
    if (prev !== undefined) valid[prev] = { line, row: r.row };
    else {
      byKey.set(r.row.key, valid.length);
      valid.push({ line, row: r.row });
    }
  });

  const batchSize = Math.max(1, Math.min(opts.batchSize ?? 1000, 2000));
  let inserted = 0;
  let updated = 0;
  let memberships = 0;
  for (let start = 0; start < valid.length; start += batchSize) {
    const batch = valid.slice(start, start + batchSize).map((v) => v.row);
    await db.transaction().execute(async (trx) => {
      const written = await trx
        .insertInto('constituents')
        .values(
          batch.map((r) => ({
            org_id: org.id,
            kind: r.kind,
            first_name: r.firstName,
            last_name: r.lastName,
            company_name: r.companyName,
            email: r.email,
            email_norm: r.emailNorm,
            phone: r.phone,
            address_line1: r.line1,
            address_line2: r.line2,
            city: r.city,
            region: r.region,
            postal_code: r.postalCode,
            country: r.country,
            merged_into: null,
            source: 'import',
            external_id: r.key,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['org_id', 'external_id']).doUpdateSet((eb) => {
            // An empty cell never blanks a stored value; a filled one replaces it.
            const keep = (
              col:
                | 'first_name'
                | 'last_name'
                | 'company_name'
                | 'email'
                | 'email_norm'
                | 'phone'
                | 'address_line1'
                | 'address_line2'
                | 'city'
                | 'region'
                | 'postal_code'
                | 'country',
            ) => sql<string>`COALESCE(NULLIF(${eb.ref(`excluded.${col}`)}, ''), ${sql.ref(`constituents.${col}`)})`;
            return {
              kind: eb.ref('excluded.kind'),
              first_name: keep('first_name'),
              last_name: keep('last_name'),
              company_name: keep('company_name'),
              email: keep('email'),
              email_norm: keep('email_norm'),
              phone: keep('phone'),
              address_line1: keep('address_line1'),
              address_line2: keep('address_line2'),
              city: keep('city'),
              region: keep('region'),
              postal_code: keep('postal_code'),
              country: keep('country'),
              updated_at: sql<Date>`now()`,
            };
          }),
        )
        .returning(['id', 'external_id', sql<boolean>`(xmax = 0)`.as('inserted')])
        .execute();
      const idByKey = new Map(written.map((w) => [w.external_id, w.id]));
      for (const w of written) {
        if (w.inserted) inserted++;
        else updated++;
      }
      const ms = batch
        .filter((r) => r.membership)
        .map((r) => ({
          constituent_id: idByKey.get(r.key)!,
          name: r.membership!.name,
          starts_on: r.membership!.startsOn,
          ends_on: r.membership!.endsOn,
          import_key: `${r.membership!.name.toLowerCase()}|${r.membership!.startsOn}`,
        }));
      if (ms.length) {
        await trx
          .insertInto('memberships')
          .values(ms)
          .onConflict((oc) =>
            oc
              .columns(['constituent_id', 'import_key'])
              .doUpdateSet((eb) => ({ ends_on: eb.ref('excluded.ends_on'), name: eb.ref('excluded.name') })),
          )
          .execute();
        memberships += ms.length;
      }
    });
    opts.onProgress?.(Math.min(start + batchSize, valid.length), valid.length);
  }
  await audit(db, {
    orgId: org.id,
    actor: opts.actor ?? 'cli',
    action: 'constituents.imported',
    details: { rows: data.length, inserted, updated, memberships, rejected: rejected.length },
  });
  return {
    org: org.slug,
    rows: valid.length + rejected.length,
    inserted,
    updated,
    memberships,
    rejected,
    ignoredColumns: map.ignored,
    durationMs: Math.round(performance.now() - started),
  };
}

/** The rejected rows as CSV: the original header and cells plus a `rejected_because` column. */
export function rejectedCsv(headers: string[], rejected: Rejected[]): string {
  const lines = [[...headers, 'line', 'rejected_because'].map(cell).join(',')];
  for (const r of rejected) lines.push([...headers.map((_, i) => r.cells[i] ?? ''), String(r.line), r.reasons.join('; ')].map(cell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
