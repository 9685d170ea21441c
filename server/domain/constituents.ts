/**
 * Admin API (DESIGN §3), per-org API key as bearer: the constituent grid (search), duplicate
 * candidates, merge, and portal info for the admin page. Keys are stored as SHA-256 in
 * `orgs.api_key_hash` (set from ADMIN_API_KEYS at start; see README).
 *
 * Merge (DESIGN §1.9): the old record (`sourceId`) merges into the new one (`targetId`); the
 * survivor keeps every membership, donation, invoice, company link and account link of both, empty
 * values never overwrite filled ones, and the merge is audited.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { sql, type Selectable } from 'kysely';
import * as z from 'zod/mini';
import type { AppDeps, Env } from './app.ts';
import { sha256 } from './crypto.ts';
import type { ConstituentsTable } from './db/schema.ts';
import { ApiError } from './errors.ts';
import { parseWith, readJson } from './http.ts';

export const MergeRequest = z.object({
  /** The old record; it ends up `mergedInto` the target. */
  sourceId: z.uuid({ error: 'invalid' }),
  /** The survivor. */
  targetId: z.uuid({ error: 'invalid' }),
});

export const GridQuery = z.object({
  q: z.optional(z.string().check(z.trim(), z.maxLength(200, { error: 'too_long' }))),
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200))),
  offset: z.optional(z.coerce.number().check(z.int(), z.minimum(0))),
  includeMerged: z.optional(z.enum(['true', 'false'])),
});

export const AdminConstituent = z.object({
  id: z.string(),
  kind: z.enum(['individual', 'company']),
  firstName: z.string(),
  lastName: z.string(),
  companyName: z.nullable(z.string()),
  email: z.string(),
  phone: z.nullable(z.string()),
  address: z.object({
    line1: z.nullable(z.string()),
    line2: z.nullable(z.string()),
    city: z.nullable(z.string()),
    region: z.nullable(z.string()),
    postalCode: z.nullable(z.string()),
    country: z.nullable(z.string()),
  }),
  mergedInto: z.nullable(z.string()),
  source: z.string(),
  hasAccount: z.boolean(),
  createdAt: z.string(),
});
export type AdminConstituent = z.infer<typeof AdminConstituent>;

export const ConstituentGrid = z.object({ constituents: z.array(AdminConstituent), total: z.number() });
export const DuplicateList = z.object({
  duplicates: z.array(
    z.object({
      id: z.string(),
      reason: z.string(),
      status: z.enum(['open', 'merged', 'dismissed']),
      createdAt: z.string(),
      constituent: AdminConstituent,
      existing: AdminConstituent,
    }),
  ),
});

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

/** Checks the bearer is this org's admin API key (compared as SHA-256, in constant time). */
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

export function requireAdmin(c: Context<Env>): void {
  const org = c.get('org');
  const m = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
  if (!m || !org.api_key_hash) throw new ApiError('unauthorized');
  const given = Buffer.from(sha256(m[1]!), 'hex');
  const expected = Buffer.from(org.api_key_hash, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new ApiError('unauthorized');
}

export function mountAdmin(app: Hono<Env>, deps: AppDeps): void {
  const { db } = deps;

  async function withAccounts(rows: Row[]): Promise<AdminConstituent[]> {
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

  function gridQuery(orgId: string, query: z.infer<typeof GridQuery>) {
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

  app.get('/v1/orgs/:org/admin/constituents', async (c) => {
    requireAdmin(c);
    const org = c.get('org');
    const query = parseWith(GridQuery, c.req.query());
    const q = gridQuery(org.id, query);
    const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const rows = await q
      .selectAll()
      .orderBy('last_name')
      .orderBy('first_name')
      .orderBy('created_at')
      .limit(query.limit ?? 50)
      .offset(query.offset ?? 0)
      .execute();
    return c.json({ constituents: await withAccounts(rows), total: Number(total.n) });
  });

  /**
   * One record. A merged-away record still answers — as merged: `mergedInto` set and `survivor` the
   * record it now lives in (followed through chains of merges).
   */
  app.get('/v1/orgs/:org/admin/constituents/:id', async (c) => {
    requireAdmin(c);
    const org = c.get('org');
    const id = parseWith(z.uuid({ error: 'invalid' }), c.req.param('id'));
    const row = await db.selectFrom('constituents').selectAll().where('org_id', '=', org.id).where('id', '=', id).executeTakeFirst();
    if (!row) throw new ApiError('not_found');
    let survivor: Row | undefined;
    if (row.merged_into) {
      let next: string | null = row.merged_into;
      for (let i = 0; next && i < 20; i++) {
        survivor = await db.selectFrom('constituents').selectAll().where('id', '=', next).executeTakeFirst();
        next = survivor?.merged_into ?? null;
      }
    }
    const [constituent, survivorOut] = await withAccounts(survivor ? [row, survivor] : [row]);
    return c.json({ constituent: constituent!, ...(survivorOut ? { survivor: survivorOut } : {}) });
  });

  /** The grid as CSV (same filters, up to 10 000 rows); cells are neutralised against formula injection. */
  app.get('/v1/orgs/:org/admin/constituents.csv', async (c) => {
    requireAdmin(c);
    const org = c.get('org');
    const query = parseWith(GridQuery, c.req.query());
    const rows = await gridQuery(org.id, query)
      .selectAll()
      .orderBy('last_name')
      .orderBy('first_name')
      .orderBy('created_at')
      .limit(query.limit ?? 10_000)
      .offset(query.offset ?? 0)
      .execute();
    const people = await withAccounts(rows);
    const lines = [CSV_COLUMNS.map(([title]) => csvCell(title)).join(',')];
    for (const p of people) lines.push(CSV_COLUMNS.map(([, get]) => csvCell(get(p))).join(','));
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${org.slug}-constituents.csv"`);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Cache-Control', 'no-store');
    return c.body(`${lines.join('\r\n')}\r\n`);
  });

  app.get('/v1/orgs/:org/admin/duplicates', async (c) => {
    requireAdmin(c);
    const org = c.get('org');
    const status = parseWith(z.optional(z.enum(['open', 'merged', 'dismissed'])), c.req.query('status')) ?? 'open';
    const dups = await db
      .selectFrom('duplicate_candidates')
      .selectAll()
      .where('org_id', '=', org.id)
      .where('status', '=', status)
      .orderBy('created_at', 'desc')
      .limit(500)
      .execute();
    const ids = [...new Set(dups.flatMap((d) => [d.constituent_id, d.existing_id]))];
    const rows = ids.length ? await db.selectFrom('constituents').selectAll().where('id', 'in', ids).execute() : [];
    const byId = new Map((await withAccounts(rows)).map((r) => [r.id, r]));
    return c.json({
      duplicates: dups.map((d) => ({
        id: d.id,
        reason: d.reason,
        status: d.status,
        createdAt: new Date(d.created_at).toISOString(),
        constituent: byId.get(d.constituent_id)!,
        existing: byId.get(d.existing_id)!,
      })),
    });
  });

  app.post('/v1/orgs/:org/admin/duplicates/:id/dismiss', async (c) => {
    requireAdmin(c);
    const org = c.get('org');
    const r = await db
      .updateTable('duplicate_candidates')
      .set({ status: 'dismissed' })
      .where('id', '=', parseWith(z.uuid(), c.req.param('id')))
      .where('org_id', '=', org.id)
      .returning('id')
      .executeTakeFirst();
    if (!r) throw new ApiError('not_found');
    return c.body(null, 204);
  });

  app.post('/v1/orgs/:org/admin/merge', async (c) => {
    requireAdmin(c);
    const org = c.get('org');
    const body = await readJson(c, MergeRequest);
    if (body.sourceId === body.targetId) throw new ApiError('invalid_input', 'Cannot merge a record into itself.', { sourceId: 'invalid' });
    const survivor = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('constituents')
        .selectAll()
        .where('org_id', '=', org.id)
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
      await trx.deleteFrom('company_contacts').where((eb) => eb.or([eb('contact_id', '=', source.id), eb('company_id', '=', source.id)])).execute();
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
      await trx
        .insertInto('audit_log')
        .values({
          org_id: org.id,
          actor: 'admin-api-key',
          action: 'constituent.merged',
          subject_id: target.id,
          details: JSON.stringify({ sourceId: source.id, targetId: target.id, filled: Object.keys(fill) }),
        })
        .execute();
      return trx.selectFrom('constituents').selectAll().where('id', '=', target.id).executeTakeFirstOrThrow();
    });
    return c.json({ constituent: (await withAccounts([survivor]))[0]! });
  });
}
