/** Organizations: lookup by slug and the admin API key check (no HTTP here). */
import { timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Org } from '../types.ts';
import { sha256 } from './crypto.ts';

export async function findOrg(db: Kysely<DB>, slug: string): Promise<Org | undefined> {
  return db.selectFrom('orgs').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** Whether `key` is this org's admin API key (stored as SHA-256; compared in constant time). */
export function adminKeyMatches(org: Org, key: string): boolean {
  if (!org.api_key_hash) return false;
  const given = Buffer.from(sha256(key), 'hex');
  const expected = Buffer.from(org.api_key_hash, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Sets an org's admin API key (stored as SHA-256 only). */
export async function setAdminKey(db: Kysely<DB>, slug: string, key: string): Promise<void> {
  await db.updateTable('orgs').set({ api_key_hash: sha256(key) }).where('slug', '=', slug).execute();
}
