/** Fixed-window rate limits stored in the database (shared by every API process). */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/index.ts';
import { ApiError } from '../errors.ts';

export interface Limit {
  /** Attempts allowed per window. */
  max: number;
  /** Window length in seconds. */
  windowSeconds: number;
}

export interface RateLimits {
  signInPerEmail: Limit;
  signInPerIp: Limit;
  signupPerEmail: Limit;
  signupPerIp: Limit;
  resetPerEmail: Limit;
  resetPerIp: Limit;
  refreshPerIp: Limit;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  signInPerEmail: { max: 10, windowSeconds: 15 * 60 },
  signInPerIp: { max: 100, windowSeconds: 15 * 60 },
  signupPerEmail: { max: 5, windowSeconds: 60 * 60 },
  signupPerIp: { max: 50, windowSeconds: 60 * 60 },
  resetPerEmail: { max: 5, windowSeconds: 60 * 60 },
  resetPerIp: { max: 50, windowSeconds: 60 * 60 },
  refreshPerIp: { max: 600, windowSeconds: 15 * 60 },
};

/** Counts one attempt against `key`; throws 429 `rate_limited` (with Retry-After) past the limit. */
export async function hitRateLimit(db: Kysely<DB>, key: string, limit: Limit): Promise<void> {
  const window = limit.windowSeconds;
  const { rows } = await sql<{ count: number; retry_after: number }>`
    INSERT INTO rate_limits AS r (key, window_start, count) VALUES (${key}, now(), 1)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN r.window_start > now() - ${window}::int * interval '1 second' THEN r.count + 1 ELSE 1 END,
      window_start = CASE WHEN r.window_start > now() - ${window}::int * interval '1 second' THEN r.window_start ELSE now() END
    RETURNING count, ceil(extract(epoch FROM (window_start + ${window}::int * interval '1 second' - now())))::int AS retry_after
  `.execute(db);
  const row = rows[0];
  if (row && row.count > limit.max) {
    throw new ApiError('rate_limited', undefined, undefined, Math.max(1, row.retry_after));
  }
}
