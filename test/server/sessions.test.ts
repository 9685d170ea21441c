/** Sessions: refresh rotation and reuse, sign-out, access tokens, password reset. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { paths } from '../../src/api/contract.ts';
import { signAccessToken } from '../../server/domain/crypto.ts';
import { Client, ORG, authResult, errorCode, uniqueEmail, serverForFile } from './helpers.ts';

// No grace window here: a rotated token coming back is reuse at once.
const { server, api } = await serverForFile({ refreshGraceSeconds: 0, tokenSecret: 'test-secret-for-sessions' });

describe('refresh', () => {
  test('rotates the refresh token and returns the profile', async () => {
    const { result } = await api.newAccount();
    const r1 = authResult(await api.refresh(result.session.refreshToken));
    assert.notEqual(r1.session.refreshToken, result.session.refreshToken);
    assert.equal(r1.profile.accountId, result.profile.accountId);
    const r2 = authResult(await api.refresh(r1.session.refreshToken));
    assert.notEqual(r2.session.refreshToken, r1.session.refreshToken);
    assert.equal((await api.me(r2.session.accessToken)).status, 200);
  });

  test('reusing a rotated refresh token revokes the whole session', async () => {
    const { result } = await api.newAccount();
    const r1 = authResult(await api.refresh(result.session.refreshToken));
    await new Promise((r) => setTimeout(r, 5));
    const reuse = await api.refresh(result.session.refreshToken);
    assert.equal(reuse.status, 401);
    assert.equal(errorCode(reuse), 'unauthorized');
    // The thief's reuse also ends the legitimate holder's session.
    assert.equal((await api.refresh(r1.session.refreshToken)).status, 401);
    assert.equal((await api.me(r1.session.accessToken)).status, 401);
  });

  test('unknown refresh token is unauthorized', async () => {
    const r = await api.refresh('x'.repeat(43));
    assert.equal(r.status, 401);
    assert.equal(errorCode(r), 'unauthorized');
  });

  test('a refresh token of another org is refused', async () => {
    const { result } = await api.newAccount();
    const r = await new Client(server.url, 'northside-choir').refresh(result.session.refreshToken);
    assert.equal(r.status, 401);
  });
});

describe('expiry', () => {
  test('an idle-expired session refuses /me and refresh; an absolute-expired one too', async () => {
    const idle = (await api.newAccount()).result;
    await server.db
      .updateTable('sessions')
      .set({ idle_expires_at: new Date(Date.now() - 1000) })
      .where('account_id', '=', idle.profile.accountId)
      .execute();
    assert.equal((await api.me(idle.session.accessToken)).status, 401);
    assert.equal((await api.refresh(idle.session.refreshToken)).status, 401);
    const abs = (await api.newAccount()).result;
    await server.db
      .updateTable('sessions')
      .set({ absolute_expires_at: new Date(Date.now() - 1000) })
      .where('account_id', '=', abs.profile.accountId)
      .execute();
    assert.equal((await api.refresh(abs.session.refreshToken)).status, 401);
  });

  test('use slides the idle expiry but never past the absolute one', async () => {
    const { result } = await api.newAccount();
    const soon = new Date(Date.now() + 60_000);
    await server.db
      .updateTable('sessions')
      .set({ idle_expires_at: new Date(Date.now() + 1000), absolute_expires_at: soon })
      .where('account_id', '=', result.profile.accountId)
      .execute();
    const r = authResult(await api.refresh(result.session.refreshToken));
    assert.equal(Date.parse(r.session.refreshTokenExpiresAt), soon.getTime());
  });
});

describe('idle slide on authed calls', () => {
  test('an authed call slides the idle expiry (at most once a minute), never past the absolute one', async () => {
    const { result } = await api.newAccount();
    const aid = result.profile.accountId;
    const row = () =>
      server.db.selectFrom('sessions').select(['idle_expires_at', 'last_used_at']).where('account_id', '=', aid).executeTakeFirstOrThrow();
    // Used just now: no write (the read alone proves the session is live).
    const before = await row();
    assert.equal((await api.me(result.session.accessToken)).status, 200);
    assert.equal((await row()).idle_expires_at.getTime(), before.idle_expires_at.getTime());
    // Last used two minutes ago, idle expiry close: the call slides it to now + 30 min.
    await server.db
      .updateTable('sessions')
      .set({ last_used_at: new Date(Date.now() - 120_000), idle_expires_at: new Date(Date.now() + 5_000) })
      .where('account_id', '=', aid)
      .execute();
    assert.equal((await api.me(result.session.accessToken)).status, 200);
    const slid = (await row()).idle_expires_at.getTime() - Date.now();
    assert.ok(slid > 29 * 60_000 && slid <= 30 * 60_000 + 1000, `slid to ~30 min, got ${slid} ms`);
    // Never past the absolute expiry.
    const abs = new Date(Date.now() + 90_000);
    await server.db
      .updateTable('sessions')
      .set({ last_used_at: new Date(Date.now() - 120_000), absolute_expires_at: abs })
      .where('account_id', '=', aid)
      .execute();
    assert.equal((await api.me(result.session.accessToken)).status, 200);
    assert.equal((await row()).idle_expires_at.getTime(), abs.getTime());
  });
});

describe('sign-out', () => {
  test('DELETE sessions/current ends the session: refresh and /me are refused', async () => {
    const { result } = await api.newAccount();
    const del = await api.request('DELETE', paths.sessionsCurrent(ORG), { headers: api.bearer(result.session.accessToken) });
    assert.equal(del.status, 204);
    assert.equal((await api.me(result.session.accessToken)).status, 401);
    assert.equal((await api.refresh(result.session.refreshToken)).status, 401);
  });

  test('DELETE sessions ends every session of the account', async () => {
    const { email, password, result } = await api.newAccount();
    const other = authResult(await api.signIn(email, password));
    const del = await api.request('DELETE', `v1/orgs/${ORG}/sessions`, { headers: api.bearer(other.session.accessToken) });
    assert.equal(del.status, 204);
    assert.equal((await api.me(result.session.accessToken)).status, 401);
    assert.equal((await api.refresh(result.session.refreshToken)).status, 401);
  });

  test('sign-out without a token is unauthorized', async () => {
    const r = await api.request('DELETE', paths.sessionsCurrent(ORG));
    assert.equal(r.status, 401);
  });
});

describe('access tokens', () => {
  test('garbage, tampered, expired and wrong-org tokens are 401 unauthorized', async () => {
    const { result } = await api.newAccount();
    const [prefix, body, mac] = result.session.accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const expired = signAccessToken({ ...claims, exp: Math.floor(Date.now() / 1000) - 1 }, 'test-secret-for-sessions');
    const forged = signAccessToken({ ...claims, exp: Math.floor(Date.now() / 1000) + 60 }, 'wrong-secret');
    const tampered = `${prefix}.${Buffer.from(JSON.stringify({ ...claims, aid: '00000000-0000-0000-0000-000000000000' })).toString('base64url')}.${mac}`;
    for (const token of ['garbage', expired, forged, tampered, `${result.session.accessToken}x`]) {
      const r = await api.me(token);
      assert.equal(r.status, 401, token);
      assert.equal(errorCode(r), 'unauthorized');
    }
    const choir = await new Client(server.url, 'northside-choir').me(result.session.accessToken);
    assert.equal(choir.status, 401);
    assert.equal((await api.get(paths.me(ORG))).status, 401, 'no token');
    assert.equal((await api.me(result.session.accessToken)).status, 200, 'the real one still works');
  });

  test('a token issued for one page origin is refused from another origin', async () => {
    const email = uniqueEmail('origin');
    await api.signup({ firstName: 'O', lastName: 'R', email });
    const token = await api.latestToken(email);
    const r = await api.post(paths.signupComplete(ORG), { token, password: 'a long passphrase 1' }, { origin: 'http://localhost:5173' });
    const auth = authResult(r);
    assert.equal((await api.get(paths.me(ORG), { ...api.bearer(auth.session.accessToken), origin: 'http://localhost:5173' })).status, 200);
    assert.equal((await api.get(paths.me(ORG), { ...api.bearer(auth.session.accessToken), origin: 'http://127.0.0.1:5173' })).status, 401);
  });
});

describe('password reset', () => {
  test('reset mails a 1-hour link; completing it revokes every session and signs in', async () => {
    const { email, password, result } = await api.newAccount({ firstName: 'Reset', lastName: 'Me' });
    const second = authResult(await api.signIn(email, password));
    assert.equal((await api.post(paths.passwordReset(ORG), { email })).status, 202);
    const mail = (await api.outbox(email))[0]!;
    assert.match(mail.subject ?? '', /Reset your Riverside Arts Association portal password/);
    assert.match(mail.text, /expires in 1 hour/);
    const token = await api.latestToken(email, 'reset');
    const done = authResult(await api.post(paths.passwordResetComplete(ORG), { token, password: 'a brand new passphrase' }));
    assert.equal(done.profile.accountId, result.profile.accountId);
    for (const s of [result.session, second.session]) {
      assert.equal((await api.me(s.accessToken)).status, 401);
      assert.equal((await api.refresh(s.refreshToken)).status, 401);
    }
    assert.equal((await api.me(done.session.accessToken)).status, 200);
    assert.equal((await api.signIn(email, password)).status, 401, 'old password no longer works');
    assert.equal((await api.signIn(email, 'a brand new passphrase')).status, 200);
    const again = await api.post(paths.passwordResetComplete(ORG), { token, password: 'another passphrase 2' });
    assert.equal(errorCode(again), 'token_invalid');
  });

  test('a signup token cannot be used as a reset token (and vice versa)', async () => {
    const { email } = await api.newAccount();
    await api.post(paths.passwordReset(ORG), { email });
    const resetToken = await api.latestToken(email, 'reset');
    assert.equal(errorCode(await api.complete(resetToken)), 'token_invalid');
    const email2 = uniqueEmail('x');
    await api.signup({ firstName: 'A', lastName: 'B', email: email2 });
    const signupToken = await api.latestToken(email2);
    const r = await api.post(paths.passwordResetComplete(ORG), { token: signupToken, password: 'a long passphrase 9' });
    assert.equal(errorCode(r), 'token_invalid');
  });

  test('an unknown email gets no mail', async () => {
    const email = uniqueEmail('ghost');
    assert.equal((await api.post(paths.passwordReset(ORG), { email })).status, 202);
    assert.equal((await api.outbox(email)).length, 0);
  });
});

describe('lifetimes', () => {
  const hours = (iso: string) => (Date.parse(iso) - Date.now()) / 3_600_000;
  const row = (accountId: string) =>
    server.db
      .selectFrom('sessions')
      .select(['idle_expires_at', 'absolute_expires_at', 'remember'])
      .where('account_id', '=', accountId)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();

  test('default: idle 30 min, absolute 12 h; "keep me signed in": 30 days', async () => {
    const { email, password, result } = await api.newAccount();
    const plain = authResult(await api.signIn(email, password));
    assert.ok(Math.abs(hours(plain.session.refreshTokenExpiresAt) - 0.5) < 0.02, 'idle 30 min');
    let r = await row(result.profile.accountId);
    assert.ok(Math.abs((r.absolute_expires_at.getTime() - Date.now()) / 3_600_000 - 12) < 0.02, 'absolute 12 h');
    const kept = authResult(await api.signIn(email, password, true));
    assert.ok(Math.abs(hours(kept.session.refreshTokenExpiresAt) - 30 * 24) < 0.1, '30 days');
    r = await row(result.profile.accountId);
    assert.equal(r.remember, true);
  });

  test('an org may shorten every lifetime; new sessions follow at once', async () => {
    const org = await server.db
      .selectFrom('orgs')
      .select(['session_idle_minutes', 'session_absolute_hours', 'remember_days'])
      .where('slug', '=', ORG)
      .executeTakeFirstOrThrow();
    await server.db
      .updateTable('orgs')
      .set({ session_idle_minutes: 10, session_absolute_hours: 2, remember_days: 7 })
      .where('slug', '=', ORG)
      .execute();
    try {
      const { email, password, result } = await api.newAccount();
      const plain = authResult(await api.signIn(email, password));
      assert.ok(Math.abs(hours(plain.session.refreshTokenExpiresAt) * 60 - 10) < 1, 'idle 10 min');
      const r = await row(result.profile.accountId);
      assert.ok(Math.abs((r.absolute_expires_at.getTime() - Date.now()) / 3_600_000 - 2) < 0.02, 'absolute 2 h');
      const kept = authResult(await api.signIn(email, password, true));
      assert.ok(Math.abs(hours(kept.session.refreshTokenExpiresAt) - 7 * 24) < 0.1, 'remember 7 days');
      // Refreshing keeps to the org's idle window too.
      const next = authResult(await api.refresh(plain.session.refreshToken));
      assert.ok(Math.abs(hours(next.session.refreshTokenExpiresAt) * 60 - 10) < 1);
    } finally {
      await server.db.updateTable('orgs').set(org).where('slug', '=', ORG).execute();
    }
  });
});

describe('emailed token lifetimes', () => {
  test('sign-up links live 24 h, reset links 1 h, both stored only as SHA-256; expired ones are token_invalid', async () => {
    const email = uniqueEmail('ttl');
    await api.signup({ firstName: 'T', lastName: 'Tl', email });
    const token = await api.latestToken(email);
    const pending = await server.db.selectFrom('pending_signups').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
    assert.ok(Math.abs((pending.expires_at.getTime() - Date.now()) / 3_600_000 - 24) < 0.02);
    assert.notEqual(pending.token_hash, token);
    assert.match(pending.token_hash, /^[0-9a-f]{64}$/);
    assert.equal(JSON.stringify(pending).includes(token), false, 'the raw token is not stored');
    await server.db
      .updateTable('pending_signups')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', pending.id)
      .execute();
    assert.equal(errorCode(await api.complete(token)), 'token_invalid');

    const { email: known } = await api.newAccount();
    await api.post(paths.passwordReset(ORG), { email: known });
    const resetToken = await api.latestToken(known, 'reset');
    const reset = await server.db.selectFrom('password_resets').selectAll().orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    assert.ok(Math.abs((reset.expires_at.getTime() - Date.now()) / 3_600_000 - 1) < 0.02);
    assert.equal(JSON.stringify(reset).includes(resetToken), false);
    await server.db
      .updateTable('password_resets')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', reset.id)
      .execute();
    assert.equal(
      errorCode(await api.post(paths.passwordResetComplete(ORG), { token: resetToken, password: 'a long passphrase 7' })),
      'token_invalid',
    );
  });
});
