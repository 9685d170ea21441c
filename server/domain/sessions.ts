/**
 * Sessions (DESIGN §4): issue one at sign-in, rotate its refresh token, check it behind an access
 * token (sliding the idle expiry), revoke it. No HTTP here.
 */
import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import type { AuthResult, Session } from '../../src/api/contract.ts';
import { ApiError } from '../errors.ts';
import type { DB, Db, Org } from '../types.ts';
import { buildProfile } from './accounts.ts';
import { randomToken, refreshSuccessor, sha256, signAccessToken } from './crypto.ts';
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from './passwords.ts';

export interface SessionSettings {
  tokenSecret: string;
  accessTokenSeconds: number;
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
  // Staff blocked this account (admin/accounts/{id}/block): no new session by any path.
  const account = await trx.selectFrom('accounts').select('blocked_at').where('id', '=', accountId).executeTakeFirst();
  if (account?.blocked_at) throw new ApiError('invalid_credentials');
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

export type RefreshResult = { ok: true; accountId: string; session: Session } | { ok: false; reason: 'unknown' | 'expired' | 'reused' | 'origin' };

/**
 * Rotates a refresh token. A token that was already rotated away is accepted again only within the
 * grace window (a lost response, two tabs racing) and then answers with the same successor it got
 * the first time (idempotent: never a second branch that would sign the owner out); after the
 * window, the whole session is revoked. The token works only from the origin it was issued to.
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
  // Bound to the page origin it was issued to (a request without Origin is not that page either);
  // a wrong try is refused without ending the owner's session.
  if ((row.origin ?? null) !== origin) return { ok: false, reason: 'origin' };
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
  const next = refreshSuccessor(refreshToken, settings.tokenSecret);
  // A replay inside the grace window: its successor is the current token — hand that back again.
  if (!isCurrent && sha256(next) !== row.refresh_hash) return { ok: false, reason: 'unknown' };
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

/**
 * Signs in with email and password: session + profile in one answer. An unknown email costs one
 * password verification too (against a dummy hash), so timing does not tell whether it exists. A
 * hash with outdated parameters is upgraded on the way.
 */
export async function signIn(
  db: Kysely<DB>,
  org: Org,
  emailNorm: string,
  password: string,
  remember: boolean,
  origin: string | null,
  settings: SessionSettings,
): Promise<AuthResult> {
  const account = await db
    .selectFrom('accounts')
    .select(['id', 'password_hash'])
    .where('org_id', '=', org.id)
    .where('email_norm', '=', emailNorm)
    .executeTakeFirst();
  if (!account) {
    await verifyPassword(await dummyPasswordHash(), password);
    throw new ApiError('invalid_credentials');
  }
  if (!(await verifyPassword(account.password_hash, password))) throw new ApiError('invalid_credentials');
  const rehash = needsRehash(account.password_hash) ? await hashPassword(password) : undefined;
  return db.transaction().execute(async (trx) => {
    if (rehash) await trx.updateTable('accounts').set({ password_hash: rehash, updated_at: new Date() }).where('id', '=', account.id).execute();
    const session = await createSession(trx, org, account.id, remember, origin, settings);
    const profile = await buildProfile(trx, org, account.id);
    return { session, profile } satisfies AuthResult;
  });
}

/** Rotates the refresh token and answers session + profile; `unauthorized` when the session has ended. */
export async function refreshSession(
  db: Kysely<DB>,
  org: Org,
  refreshToken: string,
  origin: string | null,
  settings: SessionSettings & { graceSeconds: number },
): Promise<AuthResult> {
  const outcome = await db.transaction().execute(async (trx) => {
    const r = await rotateRefreshToken(trx, org, refreshToken, origin, settings);
    if (!r.ok) return r;
    return { ...r, profile: await buildProfile(trx, org, r.accountId) };
  });
  if (!outcome.ok) throw new ApiError('unauthorized', 'The session has ended; sign in again.');
  return { session: outcome.session, profile: outcome.profile } satisfies AuthResult;
}
