/** What routes check before they act: the signed-in account, the admin API key, rate limits. */
import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { verifyAccessToken } from '../domain/crypto.ts';
import { adminKeyValid, findOrg } from '../domain/orgs.ts';
import { hitRateLimit, type Limit, type RateLimits } from '../domain/ratelimit.ts';
import { touchSession, type SessionSettings } from '../domain/sessions.ts';
import { ApiError } from '../errors.ts';
import type { AppConfig, AppDeps, Auth, Env } from '../types.ts';

function bearer(c: Context): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
}

/** The live session behind the bearer access token (same org, same origin), or `unauthorized`. */
export async function requireAuth(c: Context<Env>, deps: AppDeps, conn: Kysely<DB> = deps.db): Promise<Auth> {
  const auth = accessClaims(c, deps);
  if (!(await touchSession(conn, c.get('org'), auth.sessionId, auth.accountId))) throw new ApiError('unauthorized');
  return auth;
}

/**
 * The bearer access token's session and account when the token is well signed, unexpired, of this
 * org and of this origin — or `unauthorized`. The caller still checks the session is live.
 */
export function accessClaims(c: Context<Env>, deps: AppDeps): Auth {
  const token = bearer(c);
  if (!token) throw new ApiError('unauthorized');
  const claims = verifyAccessToken(token, deps.config.tokenSecret);
  const org = c.get('org');
  if (!claims || claims.org !== org.slug) throw new ApiError('unauthorized');
  const origin = c.get('origin');
  // Bound to the origin it was issued to: a request from another page, or one that leaves Origin
  // out, is not that page (issue 9 item 12).
  if (claims.origin !== origin) throw new ApiError('unauthorized');
  return { sessionId: claims.sid, accountId: claims.aid };
}

/**
 * Checks the bearer is one of this org's live admin API keys, against the stored org row (not the
 * per-request cache: a key revoked from another process stops working at once), and hands the
 * admin route that fresh row.
 */
export async function requireAdmin(c: Context<Env>, deps: AppDeps): Promise<void> {
  const key = bearer(c);
  if (!key) throw new ApiError('unauthorized');
  const org = await findOrg(deps.db, c.get('org').slug);
  if (!org || !(await adminKeyValid(deps.db, org, key))) throw new ApiError('unauthorized');
  c.set('org', org);
}

/** Counts one attempt against a limit (no-op when limits are off or this one is not set). */
export async function rateLimit(deps: AppDeps, key: string, pick: (l: RateLimits) => Limit | undefined): Promise<void> {
  const limits = deps.config.rateLimits;
  if (!limits) return;
  const l = pick(limits);
  if (l) await hitRateLimit(deps.db, key, l);
}

export function sessionSettings(config: AppConfig): SessionSettings & { graceSeconds: number } {
  return { tokenSecret: config.tokenSecret, accessTokenSeconds: config.accessTokenSeconds, graceSeconds: config.refreshGraceSeconds };
}
