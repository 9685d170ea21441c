/** Sessions (issue, rotate, check) and the signed-in person's profile. */
import { sql, type ExpressionBuilder, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Membership, PortalModule, Profile, Session } from '../src/api/contract.ts';
import { PORTAL_MODULES } from '../src/api/contract.ts';
import type { DB } from './db/index.ts';
import type { OrgsTable } from './db/schema.ts';
import { randomToken, sha256, signAccessToken } from './crypto.ts';

export type Org = Selectable<OrgsTable>;
export type Db = Kysely<DB> | Transaction<DB>;

export interface SessionSettings {
  tokenSecret: string;
  accessTokenSeconds: number;
}

/** Basic Portal shows personal info plus invoices, auctions and peer-to-peer (DESIGN §1.7). */
const BASIC_MODULES: readonly PortalModule[] = ['invoices', 'auctions', 'peer_to_peer'];

export function portalModules(org: Org): PortalModule[] {
  const known = org.modules.filter((m): m is PortalModule => (PORTAL_MODULES as readonly string[]).includes(m));
  return org.tier === 'advanced' ? known : known.filter((m) => BASIC_MODULES.includes(m));
}

function lifetimes(org: Org, remember: boolean): { idleMs: number; absoluteMs: number } {
  if (remember) {
    const ms = org.remember_days * 86_400_000;
    return { idleMs: ms, absoluteMs: ms };
  }
  return { idleMs: org.session_idle_minutes * 60_000, absoluteMs: org.session_absolute_hours * 3_600_000 };
}

export function accessTokenFor(
  org: Org,
  sessionId: string,
  accountId: string,
  origin: string | null,
  settings: SessionSettings,
): { accessToken: string; accessTokenExpiresAt: string } {
  const exp = Math.floor(Date.now() / 1000) + settings.accessTokenSeconds;
  return {
    accessToken: signAccessToken({ org: org.slug, sid: sessionId, aid: accountId, origin, exp }, settings.tokenSecret),
    accessTokenExpiresAt: new Date(exp * 1000).toISOString(),
  };
}

export async function createSession(
  trx: Db,
  org: Org,
  accountId: string,
  remember: boolean,
  origin: string | null,
  settings: SessionSettings,
): Promise<Session> {
  const refreshToken = randomToken();
  const now = Date.now();
  const { idleMs, absoluteMs } = lifetimes(org, remember);
  const absolute = new Date(now + absoluteMs);
  const idle = new Date(Math.min(now + idleMs, absolute.getTime()));
  const row = await trx
    .insertInto('sessions')
    .values({
      org_id: org.id,
      account_id: accountId,
      refresh_hash: sha256(refreshToken),
      prev_refresh_hash: null,
      rotated_at: null,
      remember,
      origin,
      idle_expires_at: idle,
      absolute_expires_at: absolute,
      revoked_at: null,
      revoked_reason: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    ...accessTokenFor(org, row.id, accountId, origin, settings),
    refreshToken,
    refreshTokenExpiresAt: idle.toISOString(),
    remember,
  };
}

export type RefreshResult =
  | { ok: true; accountId: string; session: Session }
  | { ok: false; reason: 'unknown' | 'expired' | 'reused' };

/**
 * Rotates a refresh token. A token that was already rotated away is accepted again only within the
 * grace window (a lost response, two tabs racing); after it, the whole session is revoked.
 */
export async function rotateRefreshToken(
  trx: Transaction<DB>,
  org: Org,
  refreshToken: string,
  origin: string | null,
  settings: SessionSettings & { graceSeconds: number },
): Promise<RefreshResult> {
  const hash = sha256(refreshToken);
  const row = await trx
    .selectFrom('sessions')
    .selectAll()
    .where((eb) => eb.or([eb('refresh_hash', '=', hash), eb('prev_refresh_hash', '=', hash)]))
    .where('org_id', '=', org.id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return { ok: false, reason: 'unknown' };
  const now = Date.now();
  if (row.revoked_at || row.idle_expires_at.getTime() <= now || row.absolute_expires_at.getTime() <= now) {
    return { ok: false, reason: 'expired' };
  }
  const isCurrent = row.refresh_hash === hash;
  if (!isCurrent) {
    const rotatedAt = row.rotated_at?.getTime() ?? 0;
    if (now - rotatedAt > settings.graceSeconds * 1000) {
      await trx
        .updateTable('sessions')
        .set({ revoked_at: new Date(now), revoked_reason: 'refresh_token_reuse' })
        .where('id', '=', row.id)
        .execute();
      return { ok: false, reason: 'reused' };
    }
  }
  const next = randomToken();
  const { idleMs } = lifetimes(org, row.remember);
  const idle = new Date(Math.min(now + idleMs, row.absolute_expires_at.getTime()));
  await trx
    .updateTable('sessions')
    .set({
      refresh_hash: sha256(next),
      // Within the grace window the previous token stays the one that may come back.
      prev_refresh_hash: isCurrent ? hash : row.prev_refresh_hash,
      rotated_at: isCurrent ? new Date(now) : row.rotated_at,
      last_used_at: new Date(now),
      idle_expires_at: idle,
    })
    .where('id', '=', row.id)
    .execute();
  return {
    ok: true,
    accountId: row.account_id,
    session: {
      ...accessTokenFor(org, row.id, row.account_id, origin, settings),
      refreshToken: next,
      refreshTokenExpiresAt: idle.toISOString(),
      remember: row.remember,
    },
  };
}

/**
 * The idle expiry slides at most once a minute per session: an authed call is then one indexed read,
 * not a write (no row-lock queue when one person's page makes many calls at once). The idle window is
 * thus up to a minute shorter than configured — never longer.
 */
const SLIDE_EVERY_MS = 60_000;

/** Checks the session behind an access token is live, and slides its idle expiry. */
export async function touchSession(db: Db, org: Org, sessionId: string, accountId: string): Promise<boolean> {
  const now = new Date();
  // The session is this account's, in this org, not revoked, inside both lifetimes: checked on the
  // read and again on the write (the slide), so a revocation in between wins.
  const isLive = (eb: ExpressionBuilder<DB, 'sessions'>) =>
    eb.and([
      eb('id', '=', sessionId),
      eb('account_id', '=', accountId),
      eb('org_id', '=', org.id),
      eb('revoked_at', 'is', null),
      eb('idle_expires_at', '>', now),
      eb('absolute_expires_at', '>', now),
    ]);
  const live = await db.selectFrom('sessions').select('last_used_at').where(isLive).executeTakeFirst();
  if (!live) return false;
  if (now.getTime() - live.last_used_at.getTime() < SLIDE_EVERY_MS) return true;
  const row = await db
    .updateTable('sessions')
    .set((eb) => ({
      last_used_at: now,
      idle_expires_at: sql<Date>`LEAST(${eb.ref('absolute_expires_at')}, ${now}::timestamptz + CASE WHEN ${eb.ref('remember')} THEN ${org.remember_days}::int * interval '1 day' ELSE ${org.session_idle_minutes}::int * interval '1 minute' END)`,
    }))
    .where(isLive)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function revokeSessions(db: Db, where: { sessionId?: string; accountId?: string }, reason: string): Promise<void> {
  let q = db.updateTable('sessions').set({ revoked_at: new Date(), revoked_reason: reason }).where('revoked_at', 'is', null);
  if (where.sessionId) q = q.where('id', '=', where.sessionId);
  if (where.accountId) q = q.where('account_id', '=', where.accountId);
  await q.execute();
}

/** Follows `merged_into` to the surviving record. */
export async function survivorId(db: Db, constituentId: string): Promise<string> {
  let id = constituentId;
  for (let i = 0; i < 20; i++) {
    const row = await db.selectFrom('constituents').select('merged_into').where('id', '=', id).executeTakeFirst();
    if (!row?.merged_into) return id;
    id = row.merged_into;
  }
  return id;
}

async function membershipsOf(db: Db, constituentId: string): Promise<Membership[]> {
  const rows = await db
    .selectFrom('memberships')
    .select([
      'id',
      'name',
      sql<string>`to_char(starts_on, 'YYYY-MM-DD')`.as('starts_on'),
      sql<string>`to_char(ends_on, 'YYYY-MM-DD')`.as('ends_on'),
      sql<'current' | 'expired'>`CASE WHEN ends_on >= current_date THEN 'current' ELSE 'expired' END`.as('status'),
    ])
    .where('constituent_id', '=', constituentId)
    .orderBy('ends_on', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, status: r.status, startsOn: r.starts_on, endsOn: r.ends_on }));
}

export async function buildProfile(db: Db, org: Org, accountId: string): Promise<Profile> {
  const account = await db
    .selectFrom('accounts')
    .select(['id', 'email', 'constituent_id'])
    .where('id', '=', accountId)
    .where('org_id', '=', org.id)
    .executeTakeFirstOrThrow();
  const cid = await survivorId(db, account.constituent_id);
  const c = await db.selectFrom('constituents').selectAll().where('id', '=', cid).executeTakeFirstOrThrow();
  const modules = portalModules(org);
  const showMemberships = modules.includes('memberships');
  const companies: Profile['companies'] = [];
  if (c.kind === 'individual') {
    const rows = await db
      .selectFrom('company_contacts as cc')
      .innerJoin('constituents as co', 'co.id', 'cc.company_id')
      .select(['co.id', 'co.company_name', 'co.email'])
      .where('cc.contact_id', '=', c.id)
      .where('cc.is_primary', '=', true)
      .where('co.merged_into', 'is', null)
      .orderBy('co.company_name')
      .execute();
    for (const r of rows) {
      companies.push({
        id: r.id,
        companyName: r.company_name ?? '',
        email: r.email,
        memberships: showMemberships ? await membershipsOf(db, r.id) : [],
      });
    }
  }
  return {
    accountId: account.id,
    email: account.email,
    constituent: {
      id: c.id,
      kind: c.kind,
      firstName: c.first_name,
      lastName: c.last_name,
      companyName: c.company_name,
      email: c.email,
      phone: c.phone,
      address: {
        ...(c.address_line1 ? { line1: c.address_line1 } : {}),
        ...(c.address_line2 ? { line2: c.address_line2 } : {}),
        ...(c.city ? { city: c.city } : {}),
        ...(c.region ? { region: c.region } : {}),
        ...(c.postal_code ? { postalCode: c.postal_code } : {}),
        ...(c.country ? { country: c.country } : {}),
      },
    },
    portal: { tier: org.tier, modules },
    memberships: showMemberships ? await membershipsOf(db, c.id) : [],
    companies,
  };
}
