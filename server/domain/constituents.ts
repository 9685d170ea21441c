/**
 * Staff work on the organization's records (the admin API's domain; no HTTP here): the constituent
 * grid (search, CSV), one record, duplicate candidates, merge.
 *
 * Merge (DESIGN §1.9): the old record (`sourceId`) merges into the new one (`targetId`); the
 * survivor keeps every membership, donation, invoice, company link and account link of both, empty
 * values never overwrite filled ones, and the merge is audited.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { AdminConstituent, DuplicateList, GridQuery } from '../../src/api/admin.ts';
import type { ConstituentsTable, DB } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import type { Db } from '../types.ts';
import { audit } from './audit.ts';

type Row = Selectable<ConstituentsTable>;

function toAdmin(r: Row, hasAccount: boolean): AdminConstituent {
  return {
    id: r.id,
    kind: r.kind,
    firstName: r.first_name,
    lastName: r.last_name,
    companyName: r.company_name,
    email: r.email,
    phone: r.phone,
    address: { line1: r.address_line1, line2: r.address_line2, city: r.city, region: r.region, postalCode: r.postal_code, country: r.country },
    mergedInto: r.merged_into,
    source: r.source,
    hasAccount,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** Columns copied from the old record only where the survivor's value is empty. */
const FILLABLE = [
  'first_name',
  'last_name',
  'company_name',
  'email',
  'phone',
  'address_line1',
  'address_line2',
  'city',
  'region',
  'postal_code',
  'country',
] as const;

const CSV_COLUMNS: [string, (p: AdminConstituent) => string | null | boolean | undefined][] = [
  ['id', (p) => p.id],
  ['kind', (p) => p.kind],
  ['first_name', (p) => p.firstName],
  ['last_name', (p) => p.lastName],
  ['company_name', (p) => p.companyName],
  ['email', (p) => p.email],
  ['phone', (p) => p.phone],
  ['address_line1', (p) => p.address.line1],
  ['address_line2', (p) => p.address.line2],
  ['city', (p) => p.address.city],
  ['region', (p) => p.address.region],
  ['postal_code', (p) => p.address.postalCode],
  ['country', (p) => p.address.country],
  ['has_account', (p) => p.hasAccount],
  ['merged_into', (p) => p.mergedInto],
  ['created_at', (p) => p.createdAt],
];

/**
 * One CSV cell (RFC 4180: always quoted, quotes doubled). A value a spreadsheet would run as a
 * formula (starting with = + - @, tab or CR) gets a leading apostrophe, so it stays text (OWASP).
 */
export function csvCell(value: string | null | boolean | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

async function withAccounts(db: Db, rows: Row[]): Promise<AdminConstituent[]> {
  if (rows.length === 0) return [];
  const linked = await db
    .selectFrom('accounts')
    .select('constituent_id')
    .where(
      'constituent_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  const set = new Set(linked.map((l) => l.constituent_id));
  return rows.map((r) => toAdmin(r, set.has(r.id)));
}

function gridQuery(db: Kysely<DB>, orgId: string, query: GridQuery) {
  let q = db.selectFrom('constituents').where('org_id', '=', orgId);
  if (query.includeMerged !== 'true') q = q.where('merged_into', 'is', null);
  if (query.q) {
    const like = `%${query.q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb(sql`lower(first_name || ' ' || last_name)`, 'like', like),
        eb(sql`lower(coalesce(company_name, ''))`, 'like', like),
        eb('email_norm', 'like', like),
      ]),
    );
  }
  return q;
}

/** One page of the grid and the total that matches. */
export async function searchConstituents(
  db: Kysely<DB>,
  orgId: string,
  query: GridQuery,
): Promise<{ constituents: AdminConstituent[]; total: number }> {
  const q = gridQuery(db, orgId, query);
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy('last_name')
    .orderBy('first_name')
    .orderBy('created_at')
    .limit(query.limit ?? 50)
    .offset(query.offset ?? 0)
    .execute();
  return { constituents: await withAccounts(db, rows), total: Number(total.n) };
}

/**
 * One record. A merged-away record still answers — as merged: `mergedInto` set and `survivor` the
 * record it now lives in (followed through chains of merges). `undefined` when not this org's.
 */
export async function getConstituent(
  db: Kysely<DB>,
  orgId: string,
  id: string,
): Promise<{ constituent: AdminConstituent; survivor?: AdminConstituent } | undefined> {
  const row = await db.selectFrom('constituents').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  let survivor: Row | undefined;
  if (row.merged_into) {
    let next: string | null = row.merged_into;
    for (let i = 0; next && i < 20; i++) {
      survivor = await db.selectFrom('constituents').selectAll().where('id', '=', next).executeTakeFirst();
      next = survivor?.merged_into ?? null;
    }
  }
  const [constituent, survivorOut] = await withAccounts(db, survivor ? [row, survivor] : [row]);
  return { constituent: constituent!, ...(survivorOut ? { survivor: survivorOut } : {}) };
}

/** The grid as CSV (same filters, up to 10 000 rows); cells are neutralised against formula injection. */
export async function constituentsCsv(db: Kysely<DB>, orgId: string, query: GridQuery): Promise<string> {
  const rows = await gridQuery(db, orgId, query)
    .selectAll()
    .orderBy('last_name')
    .orderBy('first_name')
    .orderBy('created_at')
    .limit(query.limit ?? 10_000)
    .offset(query.offset ?? 0)
    .execute();
  const people = await withAccounts(db, rows);
  const lines = [CSV_COLUMNS.map(([title]) => csvCell(title)).join(',')];
  for (const p of people) lines.push(CSV_COLUMNS.map(([, get]) => csvCell(get(p))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export type DuplicateStatus = 'open' | 'merged' | 'dismissed';

export async function listDuplicates(db: Kysely<DB>, orgId: string, status: DuplicateStatus): Promise<DuplicateList> {
  const dups = await db
    .selectFrom('duplicate_candidates')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('status', '=', status)
    .orderBy('created_at', 'desc')
    .limit(500)
    .execute();
  const ids = [...new Set(dups.flatMap((d) => [d.constituent_id, d.existing_id]))];
  const rows = ids.length ? await db.selectFrom('constituents').selectAll().where('id', 'in', ids).execute() : [];
  const byId = new Map((await withAccounts(db, rows)).map((r) => [r.id, r]));
  return {
    duplicates: dups.map((d) => ({
      id: d.id,
      reason: d.reason,
      status: d.status,
      createdAt: new Date(d.created_at).toISOString(),
      constituent: byId.get(d.constituent_id)!,
      existing: byId.get(d.existing_id)!,
    })),
  };
}

/** `false` when there is no such candidate in this org. */
export async function dismissDuplicate(db: Kysely<DB>, orgId: string, id: string): Promise<boolean> {
  const r = await db
    .updateTable('duplicate_candidates')
    .set({ status: 'dismissed' })
    .where('id', '=', id)
    .where('org_id', '=', orgId)
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

/** Merges the old record (`sourceId`) into the survivor (`targetId`); see the module comment. */
export async function mergeConstituents(
  db: Kysely<DB>,
  orgId: string,
  body: { sourceId: string; targetId: string },
  actor: string,
): Promise<AdminConstituent> {
  if (body.sourceId === body.targetId) throw new ApiError('invalid_input', 'Cannot merge a record into itself.', { sourceId: 'invalid' });
  const survivor = await db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('constituents')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', 'in', [body.sourceId, body.targetId])
      .orderBy('id')
      .forUpdate()
      .execute();
    const source = rows.find((r) => r.id === body.sourceId);
    const target = rows.find((r) => r.id === body.targetId);
    if (!source || !target) throw new ApiError('not_found');
    if (source.merged_into || target.merged_into) {
      throw new ApiError('invalid_input', 'Record already merged.', { [source.merged_into ? 'sourceId' : 'targetId']: 'invalid' });
    }
    if (source.kind !== target.kind) throw new ApiError('invalid_input', 'Records are of different kinds.', { sourceId: 'invalid' });
    const fill: Partial<Record<(typeof FILLABLE)[number], string>> = {};
    for (const col of FILLABLE) {
      const have = target[col];
      const old = source[col];
      if ((have === null || have === '') && old !== null && old !== '') fill[col] = old;
    }
    if (fill.email) (fill as Record<string, string>).email_norm = source.email_norm;
    await trx
      .updateTable('constituents')
      .set({ ...fill, updated_at: new Date() })
      .where('id', '=', target.id)
      .execute();
    for (const table of ['memberships', 'donations', 'invoices', 'accounts', 'invitations'] as const) {
      await trx.updateTable(table).set({ constituent_id: target.id }).where('constituent_id', '=', source.id).execute();
    }
    // Company links: move both sides, skipping links the survivor already has.
    await sql`INSERT INTO company_contacts (company_id, contact_id, is_primary)
      SELECT company_id, ${target.id}, is_primary FROM company_contacts WHERE contact_id = ${source.id}
      ON CONFLICT (company_id, contact_id) DO UPDATE SET is_primary = company_contacts.is_primary OR excluded.is_primary`.execute(trx);
    await sql`INSERT INTO company_contacts (company_id, contact_id, is_primary)
      SELECT ${target.id}, contact_id, is_primary FROM company_contacts WHERE company_id = ${source.id}
      ON CONFLICT (company_id, contact_id) DO UPDATE SET is_primary = company_contacts.is_primary OR excluded.is_primary`.execute(trx);
    await trx
      .deleteFrom('company_contacts')
      .where((eb) => eb.or([eb('contact_id', '=', source.id), eb('company_id', '=', source.id)]))
      .execute();
    await trx.updateTable('constituents').set({ merged_into: target.id, updated_at: new Date() }).where('id', '=', source.id).execute();
    await trx
      .updateTable('duplicate_candidates')
      .set({ status: 'merged' })
      .where('status', '=', 'open')
      .where((eb) =>
        eb.or([
          eb.and([eb('constituent_id', '=', target.id), eb('existing_id', '=', source.id)]),
          eb.and([eb('constituent_id', '=', source.id), eb('existing_id', '=', target.id)]),
        ]),
      )
      .execute();
    await audit(trx, {
      orgId,
      actor,
      action: 'constituent.merged',
      subjectId: target.id,
      details: { sourceId: source.id, targetId: target.id, filled: Object.keys(fill) },
    });
    return trx.selectFrom('constituents').selectAll().where('id', '=', target.id).executeTakeFirstOrThrow();
  });
  return (await withAccounts(db, [survivor]))[0]!;
}
