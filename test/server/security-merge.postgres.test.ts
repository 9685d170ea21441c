/**
 * Issue 9, item 13 (PostgreSQL: real concurrency): a merge racing a sign-up confirmation never leaves
 * the new account on the merged-away record. The race is made deterministic: a row the merge updates
 * last (the open duplicate candidate between the two records) is held locked, so the merge stops
 * after moving accounts but before committing; the confirmation starts then; the lock is released.
 * Without a lock order, the confirmation read the record as not merged, waited only for its foreign
 * key, and put the account on the old record — the survivor showed no account.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { ORG, authResult, uniqueEmail, waitFor, serverForFile } from './helpers.ts';

const KEY = 'merge-race-admin-key-0123456789';
const admin = { authorization: `Bearer ${KEY}` };

const { server, api } = await serverForFile({ adminApiKeys: { [ORG]: KEY } });

async function fixture(firstName: string, lastName: string, email: string): Promise<string> {
  const r = await api.post(`dev/orgs/${ORG}/fixtures`, { firstName, lastName, email });
  assert.equal(r.status, 201, r.text);
  return (r.body as { constituentId: string }).constituentId;
}

/** Backends of this test's API waiting on a lock. */
async function waitingOnLocks(): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM pg_stat_activity
    WHERE wait_event_type = 'Lock' AND application_name = 'portal-api:' || current_schema()`.execute(server.db);
  return Number(rows[0]?.n ?? 0);
}

describe('merge racing a confirmation (item 13)', () => {
  test('the account ends on the survivor, which shows it', async () => {
    const email = uniqueEmail('race-old');
    const oldId = await fixture('Rae', 'Racer', email);
    const survivorId = await fixture('Rae', 'Racer', uniqueEmail('race-new'));
    const dup = await server.db
      .insertInto('duplicate_candidates')
      .values({
        org_id: (await server.db.selectFrom('orgs').select('id').where('slug', '=', ORG).executeTakeFirstOrThrow()).id,
        constituent_id: survivorId,
        existing_id: oldId,
        reason: 'test',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    assert.equal((await api.signup({ firstName: 'Rae', lastName: 'Racer', email })).status, 202);
    const token = await api.latestToken(email);

    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = server.db.transaction().execute(async (trx) => {
      await trx.selectFrom('duplicate_candidates').select('id').where('id', '=', dup.id).forUpdate().execute();
      locked();
      await held;
    });
    await isLocked;
    try {
      const merge = api.post(`v1/orgs/${ORG}/admin/merge`, { sourceId: oldId, targetId: survivorId }, admin);
      await waitFor('the merge waits at its last step', async () => (await waitingOnLocks()) >= 1);
      const complete = api.complete(token);
      await waitFor('the confirmation waits for the merge', async () => (await waitingOnLocks()) >= 2);
      release();
      await holder;
      const [m, c] = await Promise.all([merge, complete]);
      assert.equal(m.status, 200, m.text);
      const done = authResult(c);
      assert.equal(done.outcome, 'linked');
      assert.equal(done.profile.constituent.id, survivorId, 'the profile is the survivor');
      const account = await server.db
        .selectFrom('accounts')
        .select('constituent_id')
        .where('id', '=', done.profile.accountId)
        .executeTakeFirstOrThrow();
      assert.equal(account.constituent_id, survivorId, 'the account row is on the survivor, not the merged-away record');
      const grid = (await api.get(`v1/orgs/${ORG}/admin/constituents/${survivorId}`, admin)).body as { constituent: { hasAccount: boolean } };
      assert.equal(grid.constituent.hasAccount, true, 'staff see the survivor has an account');
    } finally {
      release();
      await holder.catch(() => {});
    }
  });
});
