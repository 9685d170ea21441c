/**
 * Sessions (DESIGN §4): issue one at sign-in, rotate its refresh token, check it behind an access
 * token (sliding the idle expiry), revoke it. No HTTP here.
 */
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { AuthResult, Profile, Session } from '../../src/api/contract.ts';
import { ApiError } from '../errors.ts';
import { blockedVerdict, blockedWaitSql, ceilingParts, ceilingVerdict, type Limit } from './ratelimit.ts';
import type { DB, Db, Org } from '../types.ts';
import { profileFrom, showMemberships, type ProfileRow } from './accounts.ts';
import { randomToken, refreshSuccessor, sha256, signAccessToken } from './crypto.ts';
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from './passwords.ts';

export interface SessionSettings {
  tokenSecret: string;
  accessTokenSeconds: number;
}

function lifetimes(
  org: Pick<Org, 'remember_days' | 'session_idle_minutes' | 'session_absolute_hours'>,
  remember: boolean,
): { idleMs: number; absoluteMs: number } {
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
  // Staff blocked this account (admin/accounts/{id}/block): no new session by any path. The org's
  // lifetimes are read as stored now (the request's org row may be up to ORG_CACHE_TTL_MS old).
  const account = await trx
    .selectFrom('accounts')
    .innerJoin('orgs', 'orgs.id', 'accounts.org_id')
    .select(['accounts.blocked_at', 'orgs.remember_days', 'orgs.session_idle_minutes', 'orgs.session_absolute_hours'])
    .where('accounts.id', '=', accountId)
    .executeTakeFirst();
  if (account?.blocked_at) throw new ApiError('invalid_credentials');
  const refreshToken = randomToken();
  const now = Date.now();
  const { idleMs, absoluteMs } = lifetimes(account ?? org, remember);
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

/**
 * `GET /me` in one statement (issue 15): the session check of {@link touchSession} (and its slide,
 * when due, as a data-modifying CTE of the same statement) and the whole profile. Undefined when the
 * session is not live — or was revoked while the slide waited for its row.
 */
export async function liveSessionProfile(db: Db, org: Org, sessionId: string, accountId: string): Promise<Profile | undefined> {
  const { rows } = await sql<{ me: { profile: ProfileRow | null } | null }>`
    SELECT portal_me(${sessionId}::uuid, ${accountId}::uuid, ${org.id}::uuid, ${new Date()}::timestamptz, ${SLIDE_EVERY_MS / 1000}::int, ${showMemberships(org)}) AS me
  `.execute(db);
  const me = rows[0]?.me;
  return me ? profileFrom(org, me.profile) : undefined;
}

export async function revokeSessions(db: Db, where: { sessionId?: string; accountId?: string }, reason: string): Promise<void> {
  let q = db.updateTable('sessions').set({ revoked_at: new Date(), revoked_reason: reason }).where('revoked_at', 'is', null);
  if (where.sessionId) q = q.where('id', '=', where.sessionId);
  if (where.accountId) q = q.where('account_id', '=', where.accountId);
  await q.execute();
}

/** The rate limits a sign-in passes through (routes/limits.ts decides the keys). */
export interface SignInGate {
  /** The per-client ceiling: one attempt counted against it. */
  ceiling?: { key: string; limit: Limit };
  /** Failure keys: a sign-in is refused while any of them is blocked. */
  blockedKeys: string[];
  /** Cleared by a right password (this client's own slow-down ends). */
  clearKey?: string;
}

/**
 * Signs in with email and password: session + profile in one answer. Everything but the hash is two
 * statements (issue 15): one read (the rate-limit ceiling counted, the failure blocks looked up, the
 * account, its hash and whether staff blocked it) and one write (a rehash when due, this client's
 * failures cleared, the session row and the whole profile). The ceiling is checked first, then the
 * blocks, then the password, as when they were statements of their own. An unknown email costs one
 * password verification too (against a dummy hash), so timing does not tell whether it exists; a
 * blocked account is refused like a wrong password, after the hash, and a block that lands between
 * the read and the write still wins (the write inserts nothing). A hash with outdated parameters is
 * upgraded on the way. Session lifetimes are the org's as stored now (not a cached copy).
 */
export async function signIn(
  db: Kysely<DB>,
  org: Org,
  emailNorm: string,
  password: string,
  remember: boolean,
  origin: string | null,
  settings: SessionSettings,
  gate?: SignInGate,
): Promise<AuthResult> {
  const ceiling = gate?.ceiling ? ceilingParts(gate.ceiling.key, gate.ceiling.limit) : undefined;
  const { rows: read } = await sql<{
    id: string | null;
    password_hash: string | null;
    blocked: boolean | null;
    before: number | null;
    wait: number | null;
  }>`
    ${ceiling ? sql`WITH ${ceiling.ctes}` : sql``}
    SELECT a.id, a.password_hash, a.blocked_at IS NOT NULL AS blocked,
      ${ceiling ? ceiling.before : sql`NULL::float8`} AS before, ${blockedWaitSql(gate?.blockedKeys ?? [])} AS wait
    FROM (SELECT 1) AS one
    LEFT JOIN accounts a ON a.org_id = ${org.id}::uuid AND a.email_norm = ${emailNorm}
  `.execute(db);
  const found = read[0];
  if (gate?.ceiling) ceilingVerdict(Number(found?.before ?? 0), gate.ceiling.limit);
  blockedVerdict(found?.wait);
  const account =
    found?.id && found.password_hash ? { id: found.id, password_hash: found.password_hash, blocked: found.blocked === true } : undefined;
  if (!account) {
    await verifyPassword(await dummyPasswordHash(), password);
    throw new ApiError('invalid_credentials');
  }
  if (!(await verifyPassword(account.password_hash, password))) throw new ApiError('invalid_credentials');
  // Staff blocked this account (admin/accounts/{id}/block): no new session by any path.
  if (account.blocked) throw new ApiError('invalid_credentials');
  const rehash = needsRehash(account.password_hash) ? await hashPassword(password) : null;
  const refreshToken = randomToken();
  const { rows } = await sql<{ made: { id: string; idleMs: number; profile: ProfileRow | null } | null }>`
    SELECT portal_sign_in(${account.id}::uuid, ${org.id}::uuid, ${sha256(refreshToken)}, ${remember}, ${origin}::text, ${new Date()}::timestamptz,
      ${rehash}::text, ${gate?.clearKey ?? null}::text, ${showMemberships(org)}) AS made
  `.execute(db);
  const row = rows[0]?.made;
  if (!row) throw new ApiError('invalid_credentials');
  const idle = new Date(row.idleMs);
  return {
    session: {
      ...accessTokenFor(org, row.id, account.id, origin, settings),
      refreshToken,
      refreshTokenExpiresAt: idle.toISOString(),
      remember,
    },
    profile: profileFrom(org, row.profile),
  } satisfies AuthResult;
}

/**
 * Rotates the refresh token and answers session + profile, in one statement (issue 15); `unauthorized`
 * when the session has ended. A token that was already rotated away is accepted again only within the
 * grace window (a lost response, two tabs racing) and then answers with the same successor it got the
 * first time (idempotent: never a second branch that would sign the owner out); after the window, the
 * whole session is revoked. The token works only from the origin it was issued to (a wrong try is
 * refused without ending the owner's session). The row is locked (FOR UPDATE), so two refreshes of
 * one token take turns; the idle window is the org's as stored now.
 */
export async function refreshSession(
  db: Kysely<DB>,
  org: Org,
  refreshToken: string,
  origin: string | null,
  settings: SessionSettings & { graceSeconds: number },
): Promise<AuthResult> {
  const hash = sha256(refreshToken);
  const next = refreshSuccessor(refreshToken, settings.tokenSecret);
  const nextHash = sha256(next);
  const { rows } = await sql<{
    r: {
      outcome: 'ok' | 'expired' | 'origin' | 'reused' | 'unknown';
      id: string;
      accountId: string;
      remember: boolean;
      idleMs: number;
      profile: ProfileRow | null;
    };
  }>`
    SELECT portal_refresh(${hash}, ${nextHash}, ${org.id}::uuid, ${origin}::text, ${new Date()}::timestamptz, ${settings.graceSeconds}::float8,
      ${showMemberships(org)}) AS r
  `.execute(db);
  const row = rows[0]?.r;
  if (!row || row.outcome !== 'ok') throw new ApiError('unauthorized', 'The session has ended; sign in again.');
  const idle = new Date(row.idleMs);
  return {
    session: {
      ...accessTokenFor(org, row.id, row.accountId, origin, settings),
      refreshToken: next,
      refreshTokenExpiresAt: idle.toISOString(),
      remember: row.remember,
    },
    profile: profileFrom(org, row.profile),
  } satisfies AuthResult;
}
