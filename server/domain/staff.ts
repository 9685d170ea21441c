/**
 * Staff tools for portal accounts (issue 12; no HTTP here): list accounts, block / unblock, unlink
 * an account from the record it was matched to, an account's recent activity, and the audit log.
 * Every change is audited, and none of it reveals a password hash or token.
 */
import { sql, type Kysely } from 'kysely';
import type { AccountActivity, AccountList, AccountsQuery, AdminAccount, AuditEntry, AuditList, AuditQuery } from '../../src/api/admin.ts';
import type { DB } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import type { Db, Org } from '../types.ts';
import { audit } from './audit.ts';
import { revokeSessions } from './sessions.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

function accountsQuery(db: Db, orgId: string) {
  return db.selectFrom('accounts as a').innerJoin('constituents as c', 'c.id', 'a.constituent_id').where('a.org_id', '=', orgId);
}

async function toAdmin(
  db: Db,
  rows: {
    id: string;
    email: string;
    constituent_id: string;
    first_name: string;
    last_name: string;
    company_name: string | null;
    blocked_at: Date | null;
    created_at: Date;
  }[],
): Promise<AdminAccount[]> {
  if (rows.length === 0) return [];
  const stats = await db
    .selectFrom('sessions')
    .select([
      'account_id',
      (eb) => eb.fn.max('created_at').as('last_sign_in'),
      sql<string>`count(*) FILTER (WHERE revoked_at IS NULL AND idle_expires_at > now() AND absolute_expires_at > now())`.as('active'),
    ])
    .where(
      'account_id',
      'in',
      rows.map((r) => r.id),
    )
    .groupBy('account_id')
    .execute();
  const byId = new Map(stats.map((s) => [s.account_id, s]));
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    constituentId: r.constituent_id,
    firstName: r.first_name,
    lastName: r.last_name,
    companyName: r.company_name,
    blocked: r.blocked_at !== null,
    blockedAt: iso(r.blocked_at),
    createdAt: iso(r.created_at)!,
    lastSignInAt: iso((byId.get(r.id)?.last_sign_in as Date | undefined) ?? null),
    activeSessions: Number(byId.get(r.id)?.active ?? 0),
  }));
}

const COLUMNS = ['a.id', 'a.email', 'a.constituent_id', 'c.first_name', 'c.last_name', 'c.company_name', 'a.blocked_at', 'a.created_at'] as const;

export async function listAccounts(db: Kysely<DB>, orgId: string, query: AccountsQuery): Promise<AccountList> {
  let q = accountsQuery(db, orgId);
  if (query.status === 'blocked') q = q.where('a.blocked_at', 'is not', null);
  if (query.status === 'active') q = q.where('a.blocked_at', 'is', null);
  if (query.q) {
    const like = `%${query.q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb('a.email_norm', 'like', like),
        eb(sql`lower(c.first_name || ' ' || c.last_name)`, 'like', like),
        eb(sql`lower(coalesce(c.company_name, ''))`, 'like', like),
      ]),
    );
  }
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .select([...COLUMNS])
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id')
    .limit(query.limit ?? 50)
    .offset(query.offset ?? 0)
    .execute();
  return { accounts: await toAdmin(db, rows), total: Number(total.n) };
}

async function oneAccount(db: Db, orgId: string, id: string): Promise<AdminAccount> {
  if (!isUuid(id)) throw new ApiError('not_found');
  const row = await accountsQuery(db, orgId)
    .select([...COLUMNS])
    .where('a.id', '=', id)
    .executeTakeFirst();
  if (!row) throw new ApiError('not_found');
  return (await toAdmin(db, [row]))[0]!;
}

/** Blocks an account: it can no longer sign in or reset into a session, and every session ends now. */
export async function blockAccount(db: Kysely<DB>, orgId: string, id: string, actor: string, reason?: string): Promise<AdminAccount> {
  return db.transaction().execute(async (trx) => {
    await oneAccount(trx, orgId, id);
    await trx
      .updateTable('accounts')
      .set({ blocked_at: sql<Date>`coalesce(blocked_at, now())`, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await revokeSessions(trx, { accountId: id }, 'blocked');
    await audit(trx, { orgId, actor, action: 'account.blocked', subjectId: id, ...(reason ? { details: { reason } } : {}) });
    return oneAccount(trx, orgId, id);
  });
}

export async function unblockAccount(db: Kysely<DB>, orgId: string, id: string, actor: string): Promise<AdminAccount> {
  return db.transaction().execute(async (trx) => {
    await oneAccount(trx, orgId, id);
    await trx.updateTable('accounts').set({ blocked_at: null, updated_at: new Date() }).where('id', '=', id).execute();
    await audit(trx, { orgId, actor, action: 'account.unblocked', subjectId: id });
    return oneAccount(trx, orgId, id);
  });
}

/**
 * Unlinks an account from the record it was matched to (a wrong match): the account moves to a new
 * record of its own (same name and email, nothing else), so it no longer sees that record's
 * memberships or companies. The old record is untouched. Its sessions end, so no page keeps
 * showing the old profile.
 */
export async function unlinkAccount(db: Kysely<DB>, org: Org, id: string, actor: string): Promise<AdminAccount> {
  return db.transaction().execute(async (trx) => {
    const account = await oneAccount(trx, org.id, id);
    const old = await trx.selectFrom('constituents').selectAll().where('id', '=', account.constituentId).executeTakeFirstOrThrow();
    const acc = await trx.selectFrom('accounts').select(['email', 'email_norm']).where('id', '=', id).executeTakeFirstOrThrow();
    const fresh = await trx
      .insertInto('constituents')
      .values({
        org_id: org.id,
        kind: old.kind,
        first_name: old.first_name,
        last_name: old.last_name,
        company_name: old.company_name,
        email: acc.email,
        email_norm: acc.email_norm,
        phone: null,
        address_line1: null,
        address_line2: null,
        city: null,
        region: null,
        postal_code: null,
        country: null,
        merged_into: null,
        source: 'unlinked',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.updateTable('accounts').set({ constituent_id: fresh.id, updated_at: new Date() }).where('id', '=', id).execute();
    await revokeSessions(trx, { accountId: id }, 'unlinked');
    await audit(trx, { orgId: org.id, actor, action: 'account.unlinked', subjectId: id, details: { from: old.id, to: fresh.id } });
    return oneAccount(trx, org.id, id);
  });
}

function entry(r: {
  id: string | number;
  actor: string;
  action: string;
  subject_id: string | null;
  details: Record<string, unknown>;
  created_at: Date;
}): AuditEntry {
  return { id: String(r.id), actor: r.actor, action: r.action, subjectId: r.subject_id, details: r.details ?? {}, createdAt: iso(r.created_at)! };
}

/** What happened to and by this account lately: its sessions and the audit entries that name it. */
export async function accountActivity(db: Kysely<DB>, orgId: string, id: string): Promise<AccountActivity> {
  const account = await oneAccount(db, orgId, id);
  const sessions = await db
    .selectFrom('sessions')
    .select(['created_at', 'last_used_at', 'origin', 'remember', 'revoked_at', 'revoked_reason'])
    .where('account_id', '=', id)
    .orderBy('created_at', 'desc')
    .limit(20)
    .execute();
  const events = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('org_id', '=', orgId)
    .where((eb) => eb.or([eb('actor', '=', `account:${id}`), eb('subject_id', '=', id), eb('subject_id', '=', account.constituentId)]))
    .orderBy('id', 'desc')
    .limit(50)
    .execute();
  return {
    account,
    sessions: sessions.map((s) => ({
      createdAt: iso(s.created_at)!,
      lastUsedAt: iso(s.last_used_at)!,
      origin: s.origin,
      remember: s.remember,
      revokedAt: iso(s.revoked_at),
      revokedReason: s.revoked_reason,
    })),
    events: events.map(entry),
  };
}

/** The org's audit log, newest first, paged by id. */
export async function listAudit(db: Kysely<DB>, orgId: string, query: AuditQuery): Promise<AuditList> {
  const limit = query.limit ?? 100;
  let q = db.selectFrom('audit_log').selectAll().where('org_id', '=', orgId);
  if (query.before) q = q.where('id', '<', query.before);
  if (query.action) q = q.where('action', '=', query.action);
  if (query.subjectId) q = q.where('subject_id', '=', query.subjectId);
  const rows = await q
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  return { entries: page.map(entry), nextBefore: rows.length > limit ? String(page[page.length - 1]!.id) : null };
}
