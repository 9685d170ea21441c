/**
 * Rate limits (DESIGN §5, issue 9), stored in the database so every API process shares them. Two
 * kinds, both per organization:
 *
 * - **Ceilings** (`hit`): a leaky bucket — `max` per `windowSeconds`, draining continuously, so
 *   a crowd that fills it waits seconds for the next slot, never a one-hour wall.
 * - **Failure limits** (`checkBlocked` + `fail`): wrong passwords leave a level that drains at
 *   `max` per window; from `max` failures on, each further failure blocks the key for a delay that
 *   doubles (1 s, 2 s, 4 s … up to `maxDelaySeconds`). Blocked attempts are refused before the
 *   password is checked, so guessing slows to a crawl, and the owner on another client is not
 *   touched by a stranger's guesses (the per-(email, client) key does the work).
 *
 * Per-IP limits are high ceilings (a gala's guests on one venue network must get in); per-email and
 * per-account limits stop abuse. Email keys fold case and `+tags` (one mailbox, one limit).
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/index.ts';
import { ApiError } from '../errors.ts';

export interface Limit {
  /** Attempts (ceilings) or failures (failure limits) per window before it bites. */
  max: number;
  /** The window in seconds: the bucket drains `max` per window. */
  windowSeconds: number;
  /** Failure limits: the longest single delay (default: the window). */
  maxDelaySeconds?: number;
}

export interface RateLimits {
  /** Ceiling on sign-in attempts per client address (IPv6 by /64), per org. */
  signInPerIp: Limit;
  /** Wrong passwords per client address, per org: credential stuffing from one address. */
  signInFailuresPerIp: Limit;
  /** Wrong passwords for one account (email) from one client: slows that client only. */
  signInPerEmailClient: Limit;
  /** Wrong passwords for one account from anywhere: a distributed guess against one person. */
  signInPerEmail: Limit;
  /** Ceiling on sign-ups per client address, per org. */
  signupPerIp: Limit;
  /** Sign-ups (confirmation mails) to one mailbox. */
  signupPerEmail: Limit;
  /** Resent confirmations to one mailbox (not on the per-IP sign-up ceiling). */
  resendPerEmail: Limit;
  /** Ceiling on reset requests per client address, per org. */
  resetPerIp: Limit;
  /** Reset mails to one mailbox. */
  resetPerEmail: Limit;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  signInPerIp: { max: 2000, windowSeconds: 15 * 60 },
  signInFailuresPerIp: { max: 50, windowSeconds: 15 * 60, maxDelaySeconds: 15 * 60 },
  signInPerEmailClient: { max: 10, windowSeconds: 15 * 60, maxDelaySeconds: 15 * 60 },
  signInPerEmail: { max: 30, windowSeconds: 15 * 60, maxDelaySeconds: 5 * 60 },
  signupPerIp: { max: 2000, windowSeconds: 60 * 60 },
  signupPerEmail: { max: 5, windowSeconds: 60 * 60 },
  resendPerEmail: { max: 5, windowSeconds: 60 * 60 },
  resetPerIp: { max: 2000, windowSeconds: 60 * 60 },
  resetPerEmail: { max: 5, windowSeconds: 60 * 60 },
};

/**
 * The key an email is limited under: case-folded, `+tag` dropped from the local part, so
 * `Ann+1@x.org` and `ann+2@X.ORG` share one limit (they are one mailbox at most providers).
 */
export function emailLimitKey(email: string): string {
  const folded = email.normalize('NFKC').trim().toLocaleLowerCase('und');
  const at = folded.lastIndexOf('@');
  if (at < 1) return folded;
  const local = folded.slice(0, at).split('+')[0] || folded.slice(0, at);
  return `${local}@${folded.slice(at + 1)}`;
}

const rate = (l: Limit) => l.max / l.windowSeconds;

/**
 * A ceiling as parts of a statement (issue 15: sign-in folds it into its one read): `ctes` count one
 * attempt against `key` when one more fits — the row lock (FOR UPDATE) makes concurrent attempts on
 * one key take turns — and `before` is the bucket's level drained to now, before this attempt. The
 * statement must select from `rl_cur, rl_up` (or join them) so the count happens exactly once.
 */
export function ceilingParts(key: string, limit: Limit) {
  const r = rate(limit);
  return {
    ctes: sql`rl_prev AS (SELECT level, updated_at FROM rate_buckets WHERE key = ${key} FOR UPDATE),
    rl_cur AS (SELECT greatest(0, coalesce((SELECT level - extract(epoch FROM now() - updated_at) * ${r}::float8 FROM rl_prev), 0)) AS level),
    rl_up AS (
      INSERT INTO rate_buckets (key, level, updated_at)
      SELECT ${key}, CASE WHEN rl_cur.level + 1 <= ${limit.max}::float8 THEN rl_cur.level + 1 ELSE rl_cur.level END, now() FROM rl_cur
      ON CONFLICT (key) DO UPDATE SET level = excluded.level, updated_at = excluded.updated_at
      RETURNING 1
    )`,
    before: sql<number>`(SELECT rl_cur.level FROM rl_cur, rl_up)`,
  };
}

/** Refuses (429, Retry-After until a slot frees) when the attempt did not fit: `before` is {@link ceilingParts}' level. */
export function ceilingVerdict(before: number, limit: Limit): void {
  if (before + 1 > limit.max) {
    const wait = Math.ceil((before + 1 - limit.max) / rate(limit));
    throw new ApiError('rate_limited', undefined, undefined, Math.max(1, Math.min(wait, limit.windowSeconds)));
  }
}

/** A ceiling: counts one attempt against `key`, or refuses it (429, Retry-After until a slot frees). */
export async function hit(db: Kysely<DB>, key: string, limit: Limit): Promise<void> {
  const { ctes, before } = ceilingParts(key, limit);
  const { rows } = await sql<{ before: number }>`WITH ${ctes} SELECT ${before} AS before`.execute(db);
  ceilingVerdict(Number(rows[0]?.before ?? 0), limit);
}

/** The seconds the longest block among `keys` has left (NULL when none is blocked), as an SQL expression. */
export function blockedWaitSql(keys: string[]) {
  if (keys.length === 0) return sql<number | null>`NULL::int`;
  return sql<number | null>`(SELECT ceil(extract(epoch FROM max(blocked_until) - now()))::int FROM rate_buckets
    WHERE key IN (${sql.join(keys)}) AND blocked_until > now())`;
}

/** Refuses (429) when {@link blockedWaitSql} found a block. */
export function blockedVerdict(wait: number | null | undefined): void {
  if (wait && wait > 0) throw new ApiError('rate_limited', undefined, undefined, Math.max(1, wait));
}

/** Failure limits: refuses (429) while any of `keys` is blocked, before any work is done. */
export async function checkBlocked(db: Kysely<DB>, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  const { rows } = await sql<{ wait: number | null }>`SELECT ${blockedWaitSql(keys)} AS wait`.execute(db);
  blockedVerdict(rows[0]?.wait);
}

/** Records one failure against `key`; from `max` failures on, blocks it for a doubling delay. */
export async function fail(db: Kysely<DB>, key: string, limit: Limit): Promise<void> {
  const maxDelay = limit.maxDelaySeconds ?? limit.windowSeconds;
  await sql`
    INSERT INTO rate_buckets AS r (key, level, updated_at, blocked_until)
    VALUES (${key}, 1, now(), CASE WHEN 1 >= ${limit.max}::float8 THEN now() + interval '1 second' ELSE NULL END)
    ON CONFLICT (key) DO UPDATE SET
      level = greatest(0, r.level - extract(epoch FROM now() - r.updated_at) * ${rate(limit)}::float8) + 1,
      updated_at = now(),
      -- From the max-th failure in a row (the level drains a little between them: half a failure
      -- of slack), each failure blocks for 1 s, 2 s, 4 s … capped.
      blocked_until = CASE
        WHEN greatest(0, r.level - extract(epoch FROM now() - r.updated_at) * ${rate(limit)}::float8) + 1 >= ${limit.max}::float8 - 0.5
        THEN now() + least(${maxDelay}::float8,
               power(2, greatest(0, floor(greatest(0, r.level - extract(epoch FROM now() - r.updated_at) * ${rate(limit)}::float8) + 1 - ${limit.max}::float8 + 0.5)))
             ) * interval '1 second'
        ELSE r.blocked_until END
  `.execute(db);
}

/** A success clears a failure key (the person at that client got it right). */
export async function clearFailures(db: Kysely<DB>, key: string): Promise<void> {
  await db.deleteFrom('rate_buckets').where('key', '=', key).execute();
}

/**
 * Kept for callers that count against a fixed limit (the per-IP sign-up ceiling before issue 9):
 * the same as {@link hit}.
 */
export const hitRateLimit = hit;
