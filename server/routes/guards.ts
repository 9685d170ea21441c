/** What routes check before they act: the signed-in account, the admin API key, rate limits. */
import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { verifyAccessToken } from '../domain/crypto.ts';
import { adminKeyValid } from '../domain/orgs.ts';
import { hitRateLimit, type Limit, type RateLimits } from '../domain/ratelimit.ts';
import { touchSession, type SessionSettings } from '../domain/sessions.ts';
import { ApiError } from '../errors.ts';
import type { AppConfig, AppDeps, Auth, Env } from '../types.ts';

function bearer(c: Context): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
}

/** The live session behind the bearer access token (same org, same origin), or `unauthorized`. */
export async function requireAuth(c: Context<Env>, deps: AppDeps, conn: Kysely<DB> = deps.db): Promise<Auth> {
  const token = bearer(c);
  if (!token) throw new ApiError('unauthorized');
  const claims = verifyAccessToken(token, deps.config.tokenSecret);
  const org = c.get('org');
  if (!claims || claims.org !== org.slug) throw new ApiError('unauthorized');
  const origin = c.get('origin');
  // Bound to the origin it was issued to: a request from another page, or one that leaves Origin
  // out, is not that page (issue 9 item 12).
  if (claims.origin !== origin) throw new ApiError('unauthorized');
  if (!(await touchSession(conn, org, claims.sid, claims.aid))) throw new ApiError('unauthorized');
  return { sessionId: claims.sid, accountId: claims.aid };
}

/** Checks the bearer is one of this org's live admin API keys. */
export async function requireAdmin(c: Context<Env>, deps: AppDeps): Promise<void> {
  const key = bearer(c);
  if (!key || !(await adminKeyValid(deps.db, c.get('org'), key))) throw new ApiError('unauthorized');
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
