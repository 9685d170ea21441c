/** The `settings` table: values the API keeps for itself (the generated access-token secret). */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';

/** The access-token HMAC secret: generated once (32 random bytes) and stored; every process reads the same one. */
export async function storedSecret(db: Kysely<DB>): Promise<string> {
  await db
    .insertInto('settings')
    .values({ key: 'token_secret', value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'token_secret').executeTakeFirstOrThrow();
  return row.value;
}
