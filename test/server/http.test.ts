/** HTTP hardening: origins and CORS, body rules, errors, rate limits, races, dev-only routes. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { paths } from '../../src/api/contract.ts';
import { createApp, type AppConfig } from '../../server/app.ts';
import { parseTrustProxy } from '../../server/routes/http.ts';
import { DEFAULT_RATE_LIMITS } from '../../server/domain/ratelimit.ts';
import { ORG, authResult, errorCode, errorFields as errorFieldsOf, uniqueEmail, serverForFile } from './helpers.ts';

const baseConfig: AppConfig = {
  production: false,
  tokenSecret: 'http-test-secret',
  rateLimits: null,
  trustProxy: parseTrustProxy(undefined),
  refreshGraceSeconds: 0,
  accessTokenSeconds: 300,
  publicUrl: () => 'http://api.example.test',
};

/** Node bindings for app.request() with a unique peer address, so per-IP counters start at zero. */
let peers = 0;
function fakePeer() {
  peers += 1;
  return { incoming: { socket: { remoteAddress: `203.0.113.${peers}-${Date.now()}` } } };
}

const { server, api } = await serverForFile({ devOrigins: ['http://127.0.0.1:9999'] });

describe('origins and CORS', () => {
  test('a disallowed Origin gets 403 origin_not_allowed with no CORS headers, before any work', async () => {
    const email = uniqueEmail('evil');
    const r = await api.signup({ firstName: 'E', lastName: 'V', email }, { origin: 'https://evil.example' });
    assert.equal(r.status, 403);
    assert.equal(errorCode(r), 'origin_not_allowed');
    assert.equal(r.headers.get('access-control-allow-origin'), null);
    assert.equal((await api.outbox(email)).length, 0, 'no work was done');
    const pre = await api.request('OPTIONS', paths.signup(ORG), {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(pre.status, 403);
    assert.equal(pre.headers.get('access-control-allow-origin'), null);
    const nullOrigin = await api.get(paths.portal(ORG), { origin: 'null' });
    assert.equal(nullOrigin.status, 403);
  });

  test('an allowed Origin is echoed exactly with Vary: Origin; preflight allows our methods and headers', async () => {
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:5173', 'http://127.0.0.1:9999']) {
      const r = await api.get(paths.portal(ORG), { origin });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('access-control-allow-origin'), origin);
      assert.match(r.headers.get('vary') ?? '', /Origin/);
    }
    const pre = await api.request('OPTIONS', paths.me(ORG), {
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.match(pre.headers.get('access-control-allow-methods') ?? '', /PATCH/);
    assert.match(pre.headers.get('access-control-allow-headers') ?? '', /authorization/);
    assert.equal(pre.headers.get('access-control-allow-credentials'), null);
  });

  test('error answers to allowed origins carry CORS headers (the widget can read the code)', async () => {
    const r = await api.signIn(uniqueEmail(), 'whatever-password');
    assert.equal(r.status, 401);
    const withOrigin = await api.post(paths.sessions(ORG), { email: uniqueEmail(), password: 'x' }, { origin: 'http://localhost:5173' });
    assert.equal(withOrigin.status, 401);
    assert.equal(withOrigin.headers.get('access-control-allow-origin'), 'http://localhost:5173');
  });

  test('/dev/* allows localhost origins only', async () => {
    const ok = await api.get(`${paths.devOutbox()}?to=x@example.test`, { origin: 'http://localhost:61234' });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'http://localhost:61234');
    const bad = await api.get(paths.devOutbox(), { origin: 'https://evil.example' });
    assert.equal(bad.status, 403);
  });
});

describe('bodies and errors', () => {
  test('non-JSON content type is 415 unsupported_media_type', async () => {
    const r = await api.request('POST', paths.signup(ORG), {
      raw: 'kind=individual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(r.status, 415);
    assert.equal(errorCode(r), 'unsupported_media_type');
    const none = await api.request('POST', paths.sessions(ORG), { raw: '{}' });
    assert.equal(none.status, 415);
  });

  test('bodies over 100 kB are 413 payload_too_large', async () => {
    const r = await api.signup({ firstName: 'x'.repeat(110_000), lastName: 'y', email: uniqueEmail() });
    assert.equal(r.status, 413);
    assert.equal(errorCode(r), 'payload_too_large');
  });

  test('malformed JSON is 400 invalid_input', async () => {
    const r = await api.request('POST', paths.signup(ORG), { raw: '{"kind":', headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 400);
    assert.equal(errorCode(r), 'invalid_input');
  });

  test('zod issues become field codes; missing fields are required; control characters refused', async () => {
    const r = await api.post(paths.signup(ORG), { kind: 'alien', firstName: 'A\u202eB', email: 'not-an-email' });
    assert.equal(r.status, 400);
    const body = r.body as { error: { fields: Record<string, string> } };
    assert.deepEqual(body.error.fields, { kind: 'invalid_choice', firstName: 'invalid_characters', lastName: 'required', email: 'invalid_email' });
    const arr = await api.post(paths.signup(ORG), []);
    assert.equal(errorCode(arr), 'invalid_input');
  });

  test('unknown routes are 404 not_found; no stack traces anywhere', async () => {
    for (const path of ['nope', 'v1', `v1/orgs/${ORG}/nope`, 'v1/orgs/Bad_Slug!/portal']) {
      const r = await api.get(path);
      assert.equal(r.status, 404, path);
      assert.equal(errorCode(r), 'not_found');
    }
  });

  test('an unexpected exception is 500 server_error without details', async () => {
    const app = createApp({ db: server.db, config: baseConfig });
    app.get('/boom', () => {
      throw new Error('secret detail at /srv/x.ts:1');
    });
    const original = console.error;
    console.error = () => {};
    try {
      const r = await app.request('/boom');
      assert.equal(r.status, 500);
      const text = await r.text();
      assert.doesNotMatch(text, /secret|\.ts/);
      assert.equal(JSON.parse(text).error.code, 'server_error');
    } finally {
      console.error = original;
    }
  });
});

describe('abuse', () => {
  test('CR/LF and bidi controls in names are refused (no header injection into mail)', async () => {
    const r = await api.signup({ firstName: 'Eve\r\nBcc: victim@example.test', lastName: 'X', email: uniqueEmail() });
    assert.equal(r.status, 400);
    assert.deepEqual(errorFieldsOf(r), { firstName: 'invalid_characters' });
    const e = await api.signup({ firstName: 'Eve', lastName: 'X', email: 'a@b.c\r\nBcc: x@y.z' });
    assert.equal(e.status, 400);
  });

  test('markup in names never reaches a confirmation mail, and is escaped where a record’s name is used', async () => {
    const email = uniqueEmail('xss');
    await api.signup({ firstName: '<img src=x onerror=alert(1)>', lastName: 'X', email });
    const m = (await api.outbox(email))[0]!;
    assert.ok(!m.html!.includes('<img src=x'), 'no raw markup');
    assert.ok(!m.html!.includes('img src=x') && !m.text.includes('img src'), 'no typed name at all (unproven address)');
    // A reset goes to a proven address and greets the record's name: escaped.
    const owner = uniqueEmail('xss-owner');
    const f = await api.post(`dev/orgs/${ORG}/fixtures`, {
      firstName: '<img src=x onerror=alert(1)>',
      lastName: 'X',
      email: owner,
      password: 'a long passphrase 1',
    });
    assert.equal(f.status, 201, f.text);
    await api.post(paths.passwordReset(ORG), { email: owner });
    const reset = (await api.outbox(owner))[0]!;
    assert.ok(!reset.html!.includes('<img src=x'), 'no raw markup');
    assert.ok(reset.html!.includes('&#60;img src=x'));
  });

  test('a chunked body over 100 kB without Content-Length is 413', async () => {
    const big = JSON.stringify({ kind: 'individual', firstName: 'x'.repeat(150_000), lastName: 'y', email: uniqueEmail() });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const bytes = new TextEncoder().encode(big);
        for (let i = 0; i < bytes.length; i += 16_384) controller.enqueue(bytes.slice(i, i + 16_384));
        controller.close();
      },
    });
    const res = await fetch(`${server.url}/${paths.signup(ORG)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    assert.equal(res.status, 413);
  });

  test('very long passwords on sign-in are refused before hashing', async () => {
    const r = await api.signIn(uniqueEmail(), 'x'.repeat(5000));
    assert.equal(r.status, 400);
    assert.deepEqual(errorFieldsOf(r), { password: 'too_long' });
  });

  test('a forged Host header never reaches the emailed link', async () => {
    const email = uniqueEmail('host');
    await api.signup({ firstName: 'H', lastName: 'O', email }, { host: 'attacker.example', 'x-forwarded-host': 'attacker.example' });
    assert.doesNotMatch((await api.outbox(email))[0]!.text, /attacker/);
  });

  test('X-Forwarded-For is ignored unless trusted (cannot dodge per-IP limits)', async () => {
    const app = createApp({
      db: server.db,
      config: { ...baseConfig, rateLimits: { ...DEFAULT_RATE_LIMITS, signInPerIp: { max: 2, windowSeconds: 60 } } },
    });
    const peer = fakePeer();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await app.request(
        `/${paths.sessions(ORG)}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.0.0.${i}` },
          body: JSON.stringify({ email: uniqueEmail(), password: 'whatever pass' }),
        },
        peer,
      );
      statuses.push(r.status);
    }
    assert.deepEqual(statuses, [401, 401, 429]);
  });
});

describe('races', () => {
  test('20 concurrent completions for one email make exactly one account', async () => {
    const email = uniqueEmail('race');
    await Promise.all(Array.from({ length: 20 }, () => api.signup({ firstName: 'Race', lastName: 'Condition', email })));
    const tokens = (await api.outbox(email)).map((m) => /portal-token=([A-Za-z0-9_-]+)/.exec(m.text)?.[1]).filter((t): t is string => !!t);
    assert.equal(tokens.length, 20);
    const results = await Promise.all(tokens.map((t, i) => api.complete(t, `race passphrase ${i}`)));
    const ok = results.filter((r) => r.status === 200);
    assert.equal(ok.length, 1, results.map((r) => r.status).join(','));
    for (const r of results.filter((x) => x.status !== 200)) assert.equal(errorCode(r), 'token_invalid');
    const accounts = await server.db.selectFrom('accounts').select('id').where('email_norm', '=', email).execute();
    assert.equal(accounts.length, 1);
    const records = await server.db.selectFrom('constituents').select('id').where('email_norm', '=', email).execute();
    assert.equal(records.length, 1, 'one constituent record too');
  });

  test('the same token completed 10 times at once wins once', async () => {
    const email = uniqueEmail('same');
    await api.signup({ firstName: 'Same', lastName: 'Token', email });
    const token = await api.latestToken(email);
    const results = await Promise.all(Array.from({ length: 10 }, () => api.complete(token)));
    assert.equal(results.filter((r) => r.status === 200).length, 1);
  });
});

describe('rate limits', () => {
  test('sign-in per email: 429 rate_limited with Retry-After', async () => {
    const app = createApp({
      db: server.db,
      config: { ...baseConfig, rateLimits: { ...DEFAULT_RATE_LIMITS, signInPerEmail: { max: 3, windowSeconds: 60 } } },
    });
    const email = uniqueEmail('rl');
    const peer = fakePeer();
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await app.request(
        `/${paths.sessions(ORG)}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password: 'wrong password' }),
        },
        peer,
      );
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
    const retry = Number(last!.headers.get('retry-after'));
    assert.ok(retry >= 1 && retry <= 60, String(retry));
    assert.equal((await last!.json()).error.code, 'rate_limited');
  });

  test('sign-up and reset per email are limited the same for known and unknown emails', async () => {
    const app = createApp({
      db: server.db,
      config: {
        ...baseConfig,
        rateLimits: { ...DEFAULT_RATE_LIMITS, signupPerEmail: { max: 2, windowSeconds: 60 }, resetPerEmail: { max: 2, windowSeconds: 60 } },
      },
    });
    const peer = fakePeer();
    const post = (path: string, body: unknown) =>
      app.request(`/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, peer);
    const email = uniqueEmail('rl2');
    const s = [];
    for (let i = 0; i < 3; i++) s.push((await post(paths.signup(ORG), { kind: 'individual', firstName: 'R', lastName: 'L', email })).status);
    assert.deepEqual(s, [202, 202, 429]);
    const r = [];
    for (let i = 0; i < 3; i++) r.push((await post(paths.passwordReset(ORG), { email })).status);
    assert.deepEqual(r, [202, 202, 429]);
  });

  test('limits are stored in the database (shared across processes)', async () => {
    const rows = await server.db.selectFrom('rate_buckets').select('key').execute();
    assert.ok(rows.some((x) => x.key.startsWith('signin:fail:email:')));
  });
});

describe('grace window', () => {
  test('a rotated refresh token coming back within the grace window rotates again instead of revoking', async () => {
    const app = createApp({ db: server.db, config: { ...baseConfig, tokenSecret: 'grace', refreshGraceSeconds: 30 } });
    const { result } = await api.newAccount();
    const refresh = async (refreshToken: string) =>
      app.request(`/${paths.sessionsRefresh(ORG)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      });
    const first = await refresh(result.session.refreshToken);
    assert.equal(first.status, 200);
    const lost = await refresh(result.session.refreshToken); // the first answer was "lost"
    assert.equal(lost.status, 200);
    const next = (await lost.json()) as { session: { refreshToken: string } };
    assert.equal((await refresh(next.session.refreshToken)).status, 200);
  });
});

describe('development routes', () => {
  test('fixtures create a constituent and a signed-up account', async () => {
    const email = uniqueEmail('fixture');
    const r = await api.post(`dev/orgs/${ORG}/fixtures`, {
      firstName: 'Fix',
      lastName: 'Ture',
      email,
      phone: '+1 555 0000',
      address: { line1: '1 Main St', city: 'Town', postalCode: '12345', country: 'US' },
      membership: { name: 'Gold', status: 'expired' },
      password: 'fixture passphrase',
    });
    assert.equal(r.status, 201);
    const body = r.body as { constituentId: string; accountId: string };
    assert.ok(body.constituentId && body.accountId);
    const auth = authResult(await api.signIn(email, 'fixture passphrase'));
    assert.equal(auth.profile.constituent.id, body.constituentId);
    assert.equal(auth.profile.memberships[0]!.status, 'expired');
    assert.equal(auth.profile.constituent.address.city, 'Town');
    const bad = await api.post(`dev/orgs/${ORG}/fixtures`, { firstName: 'x' });
    assert.equal(errorCode(bad), 'invalid_input');
  });

  test('production mode has no /dev routes', async () => {
    const app = createApp({ db: server.db, config: { ...baseConfig, production: true } });
    assert.equal((await app.request('/dev/outbox')).status, 404);
    assert.equal((await app.request(`/dev/orgs/${ORG}/fixtures`, { method: 'POST' })).status, 404);
  });
});
