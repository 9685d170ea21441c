/** Periodic clean-up: stale rate-limit windows and long-dead sign-up / reset tokens. */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/** Deletes rate-limit rows older than a day and used or expired tokens older than a week. */
export async function cleanUp(db: Kysely<DB>): Promise<void> {
  const day = new Date(Date.now() - 86_400_000);
  const week = new Date(Date.now() - 7 * 86_400_000);
  await db.deleteFrom('rate_limits').where('window_start', '<', day).execute();
  // Rate-limit buckets drain within their window (at most an hour); a day-old row is empty.
  await db.deleteFrom('rate_buckets').where('updated_at', '<', day).execute();
  await db.deleteFrom('pending_signups').where('expires_at', '<', week).execute();
  await db.deleteFrom('password_resets').where('expires_at', '<', week).execute();
}
