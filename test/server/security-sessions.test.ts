/**
 * Issue 9, items 11, 12 and 16: a refresh token replayed inside the grace window answers with the
 * same successor (never a second branch, never a sign-out); access and refresh tokens are bound to
 * the origin they were issued to, also when a request leaves `Origin` out; the access token's MAC
 * accepts its one canonical spelling only.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { paths } from '../../src/api/contract.ts';
import { ORG, authResult, errorCode, uniqueEmail, serverForFile } from './helpers.ts';

const A = 'http://localhost:5173';
const B = 'http://127.0.0.1:5173';

const { api } = await serverForFile({ refreshGraceSeconds: 30 });

async function signedIn(origin?: string) {
  const { email, password } = await api.newAccount();
  const r = await api.post(paths.sessions(ORG), { email, password }, origin ? { origin } : undefined);
  return { email, password, result: authResult(r) };
}

describe('refresh replay inside the grace window (item 11)', () => {
  test('the same refresh token twice gives the same successor, and the session lives on', async () => {
    const { result } = await signedIn();
    const first = authResult(await api.refresh(result.session.refreshToken));
    const again = authResult(await api.refresh(result.session.refreshToken));
    assert.equal(again.session.refreshToken, first.session.refreshToken, 'no second branch');
    assert.equal((await api.me(first.session.accessToken)).status, 200);
    assert.equal((await api.me(again.session.accessToken)).status, 200);
    const next = authResult(await api.refresh(first.session.refreshToken));
    assert.notEqual(next.session.refreshToken, first.session.refreshToken);
    assert.equal((await api.me(next.session.accessToken)).status, 200, 'the owner is still signed in');
  });

  test('concurrent replays (two tabs, a retried request) all get one successor', async () => {
    const { result } = await signedIn();
    const replies = await Promise.all(Array.from({ length: 6 }, () => api.refresh(result.session.refreshToken)));
    const successors = new Set(replies.map((r) => authResult(r).session.refreshToken));
    assert.equal(successors.size, 1);
    const [successor] = [...successors];
    assert.equal(authResult(await api.refresh(successor!)).profile.accountId, result.profile.accountId);
  });
});

describe('origin binding (item 12)', () => {
  test('an access token issued to one origin is refused without Origin and from another allowed origin', async () => {
    const { result } = await signedIn(A);
    const token = result.session.accessToken;
    assert.equal((await api.get(paths.me(ORG), { ...api.bearer(token), origin: A })).status, 200);
    const bare = await api.get(paths.me(ORG), api.bearer(token));
    assert.equal(bare.status, 401);
    assert.equal(errorCode(bare), 'unauthorized');
    assert.equal((await api.get(paths.me(ORG), { ...api.bearer(token), origin: B })).status, 401);
  });

  test('a token issued without Origin is not accepted from a page', async () => {
    const { result } = await signedIn();
    assert.equal((await api.get(paths.me(ORG), { ...api.bearer(result.session.accessToken), origin: A })).status, 401);
    assert.equal((await api.me(result.session.accessToken)).status, 200);
  });

  test('a refresh token works only from the origin it was issued to, and a wrong try does not end the session', async () => {
    const { result } = await signedIn(A);
    const rt = result.session.refreshToken;
    assert.equal((await api.refresh(rt)).status, 401, 'no Origin');
    assert.equal((await api.post(paths.sessionsRefresh(ORG), { refreshToken: rt }, { origin: B })).status, 401, 'other origin');
    const ok = await api.post(paths.sessionsRefresh(ORG), { refreshToken: rt }, { origin: A });
    const next = authResult(ok);
    assert.equal((await api.get(paths.me(ORG), { ...api.bearer(next.session.accessToken), origin: A })).status, 200);
    assert.equal((await api.get(paths.me(ORG), { ...api.bearer(next.session.accessToken) })).status, 401, 'the new access token is bound too');
  });

  test('sign-up and reset completion bind to the completing page’s origin', async () => {
    const email = uniqueEmail('bind');
    await api.signup({ firstName: 'Bi', lastName: 'Nd', email });
    const done = authResult(
      await api.post(paths.signupComplete(ORG), { token: await api.latestToken(email), password: 'a long passphrase 1' }, { origin: A }),
    );
    assert.equal((await api.get(paths.me(ORG), api.bearer(done.session.accessToken))).status, 401);
    assert.equal((await api.post(paths.sessionsRefresh(ORG), { refreshToken: done.session.refreshToken }, { origin: B })).status, 401);
  });
});

describe('the access-token MAC has one spelling (item 16)', () => {
  /** base64url characters that decode to the same 6 bits except the last `bits` (unused) ones. */
  function sameBytes(last: string, unusedBits: number): string[] {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const v = alphabet.indexOf(last);
    const mask = (1 << unusedBits) - 1;
    return [...alphabet].filter((ch, i) => ch !== last && (i & ~mask) === (v & ~mask));
  }

  test('padding bits, trailing "=" and standard-base64 letters in the MAC or body are refused', async () => {
    const { result } = await signedIn();
    const token = result.session.accessToken;
    assert.equal((await api.me(token)).status, 200);
    const [prefix, body, mac] = token.split('.') as [string, string, string];
    const variants: string[] = [];
    // A 32-byte MAC is 43 characters: the last one carries 2 unused bits.
    for (const ch of sameBytes(mac.at(-1)!, 2)) variants.push(`${prefix}.${body}.${mac.slice(0, -1)}${ch}`);
    variants.push(
      `${prefix}.${body}.${mac}=`,
      `${prefix}.${body}.${mac}==`,
      `${prefix}.${body}.${mac.replace(/-/g, '+').replace(/_/g, '/')}${/[-_]/.test(mac) ? '' : '='}`,
    );
    const unused = [0, 4, 2][body.length % 4] ?? 0;
    if (unused) for (const ch of sameBytes(body.at(-1)!, unused)) variants.push(`${prefix}.${body.slice(0, -1)}${ch}.${mac}`);
    variants.push(`${prefix}.${body}=.${mac}`, `${token}.`);
    assert.ok(variants.length >= 5);
    for (const v of variants) {
      const r = await api.get(paths.me(ORG), { authorization: `Bearer ${v}` });
      assert.equal(r.status, 401, v);
    }
    assert.equal((await api.me(token)).status, 200, 'the canonical token still works');
  });
});
