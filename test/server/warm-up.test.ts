/**
 * The elements' connection/preflight warm-up (issue 15, src/api/warm.ts): on the first keystroke a
 * browser sends the sign-in URL a CORS preflight for an `OPTIONS` with `content-type`, then that
 * `OPTIONS` itself. The API must allow it (so the browser caches the POST's preflight) and answer it
 * inertly: no session, no rate-limit count, no audit row, no mail — nothing a stranger gains by sending
 * a million of them — and without a database statement once the org row is cached (server/domain/orgs.ts
 * OrgCache, filled by the page's own first request).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { paths } from '../../src/api/contract.ts';
import { createApp, type AppConfig } from '../../server/app.ts';
import { parseTrustProxy } from '../../server/routes/http.ts';
import { ORG, uniqueEmail, serverForFile } from './helpers.ts';

const ORIGIN = 'http://127.0.0.1:9998';
const PASSWORD = 'a long passphrase 1';
/** A seeded origin of the demo org (server/domain/seed.ts). */
const PAGE_ORIGIN = 'http://localhost:5173';
const appConfig: AppConfig = {
  production: false,
  tokenSecret: 'warm-up-test-secret',
  rateLimits: null,
  trustProxy: parseTrustProxy(undefined),
  refreshGraceSeconds: 0,
  accessTokenSeconds: 300,
  publicUrl: () => 'http://api.example.test',
};

// Two sign-ins per IP per window: a warm-up counted as one would show as a 429 below.
const { server, api } = await serverForFile({ devOrigins: [ORIGIN], rateLimits: { signInPerIp: { max: 2, windowSeconds: 900 } } });

/** What a browser sends for `fetch(url, { method: 'OPTIONS', headers: { 'content-type': 'application/json' }, credentials: 'omit' })`. */
async function warmUp(path: string) {
  const preflight = await api.request('OPTIONS', path, {
    headers: { origin: ORIGIN, 'access-control-request-method': 'OPTIONS', 'access-control-request-headers': 'content-type' },
  });
  const actual = await api.request('OPTIONS', path, { headers: { origin: ORIGIN, 'content-type': 'application/json' } });
  return { preflight, actual };
}

async function counts() {
  const db = server.db;
  const n = async (table: 'sessions' | 'rate_limits' | 'rate_buckets' | 'audit_log' | 'outbox') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    sessions: await n('sessions'),
    rateLimits: await n('rate_limits'),
    rateBuckets: await n('rate_buckets'),
    audit: await n('audit_log'),
    outbox: await n('outbox'),
  };
}

describe('warm-up request (OPTIONS to the sign-in URL)', () => {
  test('its preflight allows the OPTIONS and caches what the sign-in POST needs', async () => {
    const { preflight, actual } = await warmUp(paths.sessions(ORG));
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), ORIGIN);
    const methods = (preflight.headers.get('access-control-allow-methods') ?? '').split(/\s*,\s*/);
    assert.ok(methods.includes('OPTIONS'), `Allow-Methods lists OPTIONS (the warm-up's own method): ${methods.join(', ')}`);
    assert.ok(methods.includes('POST'), 'and POST (the sign-in), so its cache entry serves the POST');
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /(^|,\s*)content-type(\s*,|$)/);
    // Cached long enough to outlast the typing, within every engine's cap (WebKit keeps 600 s at most).
    const maxAge = Number(preflight.headers.get('access-control-max-age'));
    assert.ok(maxAge >= 60 && maxAge <= 600, `Access-Control-Max-Age ${maxAge}`);
    assert.equal(preflight.headers.get('access-control-allow-credentials'), null, 'credentials mode omit, like the client');
    assert.equal(actual.status, 204);
    assert.equal(actual.headers.get('access-control-allow-origin'), ORIGIN, 'readable, so the fetch succeeds without a console error');
    assert.equal(actual.text, '');
  });

  test('fifty warm-ups make no session, count no rate limit, write no audit row or mail', async () => {
    const email = uniqueEmail('warm');
    const first = await api.newAccount({ email }, PASSWORD);
    assert.ok(first);
    const before = await counts();
    for (let i = 0; i < 50; i++) {
      const { preflight, actual } = await warmUp(paths.sessions(ORG));
      assert.equal(preflight.status, 204);
      assert.equal(actual.status, 204);
    }
    assert.deepEqual(await counts(), before);
    // The per-IP sign-in limit (2 here) was not touched by them: both sign-ins go through.
    for (let i = 0; i < 2; i++) {
      const r = await api.post(paths.sessions(ORG), { email, password: PASSWORD }, { origin: ORIGIN });
      assert.equal(r.status, 200, `sign-in ${i + 1}: ${r.text}`);
    }
    const third = await api.post(paths.sessions(ORG), { email, password: PASSWORD }, { origin: ORIGIN });
    assert.equal(third.status, 429, 'the limit is real');
  });

  test('a refused origin gets no CORS answer, so the browser never sends the OPTIONS itself', async () => {
    const r = await api.request('OPTIONS', paths.sessions(ORG), {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'OPTIONS', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(r.status, 403);
    assert.equal(r.headers.get('access-control-allow-origin'), null);
  });
  test('answered without a database query once the org is known (the page read it on load)', async () => {
    let queries = 0;
    const counting = server.db.withPlugin({
      transformQuery: (args) => {
        queries += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const app = createApp({ db: counting, config: appConfig });
    const headers = { origin: PAGE_ORIGIN };
    // The elements' configuration check on page load: the org row is read here.
    assert.equal((await app.request(`/${paths.portal(ORG)}`, { headers })).status, 200);
    queries = 0;
    for (let i = 0; i < 3; i++) {
      const preflight = await app.request(`/${paths.sessions(ORG)}`, {
        method: 'OPTIONS',
        headers: { ...headers, 'access-control-request-method': 'OPTIONS', 'access-control-request-headers': 'content-type' },
      });
      assert.equal(preflight.status, 204);
      const actual = await app.request(`/${paths.sessions(ORG)}`, { method: 'OPTIONS', headers: { ...headers, 'content-type': 'application/json' } });
      assert.equal(actual.status, 204);
    }
    assert.equal(queries, 0, 'no statement reached the database');
  });
});
