/**
 * Issue 15: sign-in is one read, the hash, and one write (the session, a rehash when due, the client's
 * failure count cleared, the profile). Its failure paths keep their behaviour: wrong passwords count
 * and a right one clears this client's count; a blocked account is refused like a wrong password and
 * gets no session; a sign-up that was never confirmed has no account; a weaker stored hash is
 * upgraded. (Unknown-email timing: enumeration.test.ts; lockout across IPs: abuse.test.ts.)
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hash } from '@node-rs/argon2';
import { AccountList } from '../../src/api/admin.ts';
import { paths } from '../../src/api/contract.ts';
import { ORG, authResult, errorCode, uniqueEmail, serverForFile } from './helpers.ts';

const KEY = { authorization: 'Bearer dev-admin-key-riverside-arts' };
const PASSWORD = 'a long passphrase 1';

// Limits on, with a small per-(email, client) failure limit: the third wrong password in a row blocks.
const { server, api } = await serverForFile({ rateLimits: { signInPerEmailClient: { max: 3, windowSeconds: 900, maxDelaySeconds: 900 } } });

async function fixture(): Promise<{ email: string; accountId: string }> {
  const email = uniqueEmail('signin');
  const r = await api.post(`dev/orgs/${ORG}/fixtures`, { firstName: 'Sign', lastName: 'In', email, password: PASSWORD });
  assert.equal(r.status, 201, r.text);
  const account = await server.db.selectFrom('accounts').select('id').where('email_norm', '=', email.toLowerCase()).executeTakeFirstOrThrow();
  return { email, accountId: account.id };
}

const sessionsOf = async (accountId: string) =>
  Number(
    (
      await server.db
        .selectFrom('sessions')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('account_id', '=', accountId)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('sign-in in one write', () => {
  test("wrong passwords count; a right one clears this client's count in the write that makes the session", async () => {
    const { email } = await fixture();
    const statuses: number[] = [];
    for (const password of ['wrong one 1', 'wrong one 2']) statuses.push((await api.signIn(email, password)).status);
    assert.deepEqual(statuses, [401, 401]);
    authResult(await api.signIn(email, PASSWORD));
    // Cleared: two more wrong ones are plain 401s; without the clear the first would be the third in a row and block.
    for (const password of ['wrong one 3', 'wrong one 4', 'wrong one 5']) statuses.push((await api.signIn(email, password)).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401]);
    const blocked = await api.signIn(email, PASSWORD);
    assert.equal(blocked.status, 429, 'three wrong in a row: this client waits, even with the right password');
    assert.equal(errorCode(blocked), 'rate_limited');
    assert.ok(Number(blocked.headers.get('retry-after')) >= 1);
  });

  test('a blocked account: invalid_credentials with the right password, no session written', async () => {
    const { email, accountId } = await fixture();
    const before = await sessionsOf(accountId);
    assert.equal((await api.post(`v1/orgs/${ORG}/admin/accounts/${accountId}/block`, {}, KEY)).status, 200);
    const r = await api.signIn(email, PASSWORD);
    assert.equal(r.status, 401);
    assert.equal(errorCode(r), 'invalid_credentials');
    assert.equal(await sessionsOf(accountId), before, 'no session row');
    const list = AccountList.parse((await api.get(`v1/orgs/${ORG}/admin/accounts?q=${encodeURIComponent(email)}`, KEY)).body);
    assert.equal(list.accounts[0]!.blocked, true);
    assert.equal((await api.post(`v1/orgs/${ORG}/admin/accounts/${accountId}/unblock`, {}, KEY)).status, 200);
    authResult(await api.signIn(email, PASSWORD));
    assert.equal(await sessionsOf(accountId), before + 1);
  });

  test('a sign-up that was never confirmed has no account: invalid_credentials, like an unknown email', async () => {
    const email = uniqueEmail('unconfirmed');
    assert.equal((await api.signup({ firstName: 'Not', lastName: 'Yet', email })).status, 202);
    const r = await api.signIn(email, PASSWORD);
    assert.equal(r.status, 401);
    assert.equal(errorCode(r), 'invalid_credentials');
    assert.deepEqual(r.body, (await api.signIn(uniqueEmail('nobody'), PASSWORD)).body);
  });

  test('a hash weaker than today’s parameters is upgraded by the sign-in that proves the password', async () => {
    const { email, accountId } = await fixture();
    const weak = await hash(PASSWORD, { memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await server.db.updateTable('accounts').set({ password_hash: weak }).where('id', '=', accountId).execute();
    assert.equal(errorCode(await api.signIn(email, 'not the password')), 'invalid_credentials');
    const still = await server.db.selectFrom('accounts').select('password_hash').where('id', '=', accountId).executeTakeFirstOrThrow();
    assert.equal(still.password_hash, weak, 'a wrong password upgrades nothing');
    const result = authResult(await api.signIn(email, PASSWORD));
    assert.equal(result.profile.accountId, accountId);
    const row = await server.db.selectFrom('accounts').select('password_hash').where('id', '=', accountId).executeTakeFirstOrThrow();
    assert.match(row.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    authResult(await api.signIn(email, PASSWORD));
  });

  test('sign-in answers the same profile as GET /me, and a refresh the same again', async () => {
    const { email } = await fixture();
    const signedIn = authResult(await api.signIn(email, PASSWORD));
    const me = await api.me(signedIn.session.accessToken);
    assert.equal(me.status, 200);
    assert.deepEqual(me.body, signedIn.profile);
    const refreshed = authResult(await api.refresh(signedIn.session.refreshToken));
    assert.deepEqual(refreshed.profile, signedIn.profile);
    assert.equal((await api.get(paths.me(ORG), api.bearer(refreshed.session.accessToken))).status, 200);
  });
});
