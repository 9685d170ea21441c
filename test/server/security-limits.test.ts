/**
 * Issue 9, items 2, 4, 7 and 14: the client address comes from the right of X-Forwarded-For through
 * configured trusted proxies only (IPv6 by /64); limits are per org, a crowd on one venue network
 * gets in while credential stuffing from that same address is stopped; an owner is slowed, not
 * locked out, by someone else's wrong passwords; `+tags` and case do not dodge per-email limits;
 * resend and refresh do not draw on the per-IP sign-up bucket. Every refusal is 429 + Retry-After.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { paths } from '../../src/api/contract.ts';
import { createApp } from '../../server/app.ts';
import type { RunningServer } from '../../server/index.ts';
import { DEFAULT_RATE_LIMITS, type RateLimits } from '../../server/domain/ratelimit.ts';
import { parseTrustProxy } from '../../server/routes/http.ts';
import { startApi } from '../../scripts/lib/proc.ts';
import { Client, ORG, authResult, startTestServer, uniqueEmail } from './helpers.ts';

let server: RunningServer;
let api: Client;

before(async () => {
  // Production limits (the defaults), behind a proxy on loopback: every test speaks as its own client.
  server = await startTestServer({ rateLimits: {}, trustProxy: 'loopback' });
  api = new Client(server.url);
});
after(async () => {
  await server?.close();
});

let clients = 0;
/** A client address of its own for one test (documentation ranges), as the proxy reports it. */
function client(): { 'x-forwarded-for': string } {
  clients += 1;
  return { 'x-forwarded-for': `198.51.${100 + Math.floor(clients / 250)}.${clients % 250}` };
}

/** Runs `n` tasks, `width` at a time. */
async function pool<T>(n: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

function assertRetryAfter(r: { status: number; headers: Headers; text: string }): number {
  assert.equal(r.status, 429, r.text);
  assert.equal(JSON.parse(r.text).error.code, 'rate_limited');
  const retry = Number(r.headers.get('retry-after'));
  assert.ok(Number.isInteger(retry) && retry >= 1 && retry < 3600, `Retry-After ${r.headers.get('retry-after')}`);
  return retry;
}

describe('a crowd on one network (item 4)', () => {
  test('300 sign-ups from one address for one org all succeed, while credential stuffing from it is stopped', async () => {
    const venue = client();
    const signups = await pool(300, 10, (i) => api.signup({ firstName: `Guest${i}`, lastName: 'Gala', email: uniqueEmail('gala') }, venue));
    assert.deepEqual(
      [...new Set(signups.map((r) => r.status))],
      [202],
      signups
        .filter((r) => r.status !== 202)
        .slice(0, 3)
        .map((r) => r.text)
        .join('\n'),
    );

    const statuses: number[] = [];
    let limited: (typeof signups)[number] | undefined;
    for (let i = 0; i < 150 && !limited; i++) {
      const r = await api.post(paths.sessions(ORG), { email: uniqueEmail('stuffed'), password: `leaked password ${i}` }, venue);
      statuses.push(r.status);
      if (r.status === 429) limited = r;
    }
    assert.ok(limited, `stuffing never stopped: ${statuses.length} attempts`);
    assertRetryAfter(limited);
    assert.ok(statuses.filter((s) => s === 401).length <= 60, `${statuses.length} attempts before the stop`);

    // The guests who signed up still confirm and are signed in from that same network.
    const guest = uniqueEmail('gala-late');
    assert.equal((await api.signup({ firstName: 'Late', lastName: 'Guest', email: guest }, venue)).status, 202);
    assert.equal((await api.complete(await api.latestToken(guest))).status, 200);
  });

  test('one org’s busy network does not touch another org', async () => {
    const app = tinyApp({ signupPerIp: { max: 2, windowSeconds: 3600 } });
    const from = peer('203.0.113.77');
    const signup = (org: string) =>
      app.request(
        `/${paths.signup(org)}`,
        { method: 'POST', headers: json, body: JSON.stringify({ kind: 'individual', firstName: 'O', lastName: 'Rg', email: uniqueEmail('org') }) },
        from,
      );
    assert.deepEqual([(await signup(ORG)).status, (await signup(ORG)).status], [202, 202]);
    const refused = await signup(ORG);
    assertRetryAfter({ status: refused.status, headers: refused.headers, text: await refused.text() });
    assert.equal((await signup('northside-choir')).status, 202);
  });

  test('the wait after the ceiling is short and grows back gradually (no one-hour wall)', async () => {
    const app = tinyApp({ signupPerIp: { max: 60, windowSeconds: 3600 } });
    const from = peer('203.0.113.78');
    let refused: Response | undefined;
    for (let i = 0; i < 61; i++) {
      const r = await app.request(
        `/${paths.signup(ORG)}`,
        { method: 'POST', headers: json, body: JSON.stringify({ kind: 'individual', firstName: 'W', lastName: 'All', email: uniqueEmail('wall') }) },
        from,
      );
      if (r.status === 429) refused = r;
    }
    assert.ok(refused);
    const retry = Number(refused.headers.get('retry-after'));
    assert.ok(retry >= 1 && retry <= 60, `one slot frees within a minute, not ${retry} s`);
  });
});

describe('resend and refresh are not on the per-IP sign-up bucket (item 4)', () => {
  test('resend answers 202 after the IP sign-up ceiling is spent', async () => {
    const app = tinyApp({ signupPerIp: { max: 1, windowSeconds: 3600 } });
    const from = peer('203.0.113.79');
    const email = uniqueEmail('resend');
    const post = (path: string, body: unknown) => app.request(`/${path}`, { method: 'POST', headers: json, body: JSON.stringify(body) }, from);
    assert.equal((await post(paths.signup(ORG), { kind: 'individual', firstName: 'Re', lastName: 'Send', email })).status, 202);
    assert.equal((await post(paths.signup(ORG), { kind: 'individual', firstName: 'Re', lastName: 'Send', email: uniqueEmail('x') })).status, 429);
    assert.equal((await post(paths.signupResend(ORG), { email })).status, 202);
  });

  test('a signed-in guest can refresh again and again from a busy network', async () => {
    const { result } = await api.newAccount();
    const venue = client();
    let token = result.session.refreshToken;
    for (let i = 0; i < 40; i++) {
      const r = await api.post(paths.sessionsRefresh(ORG), { refreshToken: token }, venue);
      token = authResult(r).session.refreshToken;
    }
  });
});

describe('owners are slowed, not locked out, by someone else’s guesses (item 7)', () => {
  test('wrong passwords from one client stop that client; the owner elsewhere still signs in', async () => {
    const { email, password } = await api.newAccount();
    const attacker = client();
    let limited;
    for (let i = 0; i < 30 && !limited; i++) {
      const r = await api.post(paths.sessions(ORG), { email, password: `wrong guess ${i}` }, attacker);
      if (r.status === 429) limited = r;
      else assert.equal(r.status, 401);
    }
    assert.ok(limited, 'the guessing client was stopped');
    assertRetryAfter(limited);
    // Even with the right password, that client waits…
    assert.equal((await api.post(paths.sessions(ORG), { email, password }, attacker)).status, 429);
    // …but the owner, on their own network, is not locked out.
    assert.equal((await api.post(paths.sessions(ORG), { email, password }, client())).status, 200);
  });

  test('the delay grows with every further failure rather than a fixed lock-out', async () => {
    const { email } = await api.newAccount();
    const app = tinyApp({ signInPerEmailClient: { max: 2, windowSeconds: 600, maxDelaySeconds: 900 } });
    const from = peer('203.0.113.80');
    const attempt = () =>
      app.request(`/${paths.sessions(ORG)}`, { method: 'POST', headers: json, body: JSON.stringify({ email, password: 'wrong wrong wrong' }) }, from);
    assert.deepEqual([(await attempt()).status, (await attempt()).status], [401, 401]);
    const first = await attempt();
    assert.equal(first.status, 429);
    const wait1 = Number(first.headers.get('retry-after'));
    await new Promise((r) => setTimeout(r, wait1 * 1000 + 100));
    assert.equal((await attempt()).status, 401, 'after the wait one more try is checked');
    const second = await attempt();
    assert.equal(second.status, 429);
    assert.ok(Number(second.headers.get('retry-after')) > wait1, `${second.headers.get('retry-after')} > ${wait1}`);
  });
});

describe('per-email limits fold +tags and case (item 14)', () => {
  test('sign-ups to one mailbox under many spellings share one limit', async () => {
    const app = tinyApp({ signupPerEmail: { max: 3, windowSeconds: 3600 } });
    const base = uniqueEmail('tags');
    const [local, domain] = base.split('@') as [string, string];
    const spellings = [`${local}+a@${domain}`, `${local.toUpperCase()}+b@${domain.toUpperCase()}`, `${local}+c+d@${domain}`, `${local}@${domain}`];
    const statuses: number[] = [];
    for (const [i, email] of spellings.entries()) {
      const r = await app.request(
        `/${paths.signup(ORG)}`,
        { method: 'POST', headers: json, body: JSON.stringify({ kind: 'individual', firstName: 'T', lastName: 'Ag', email }) },
        peer(`203.0.113.${90 + i}`),
      );
      statuses.push(r.status);
    }
    assert.deepEqual(statuses, [202, 202, 202, 429]);
  });
});

describe('the client address (item 2)', () => {
  test('X-Forwarded-For is read from the right: a client-written leftmost entry cannot dodge the limit', async () => {
    const app = tinyApp({ signInPerIp: { max: 3, windowSeconds: 600 } }, 'loopback');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await app.request(
        `/${paths.sessions(ORG)}`,
        {
          method: 'POST',
          headers: { ...json, 'x-forwarded-for': `10.9.${i}.1, 192.0.2.${i}, 198.18.0.9` },
          body: JSON.stringify({ email: uniqueEmail(), password: 'whatever pass' }),
        },
        peer('127.0.0.1'),
      );
      statuses.push(r.status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
  });

  test('trusted hops are skipped from the right; an untrusted peer’s header is ignored', async () => {
    const app = tinyApp({ signInPerIp: { max: 1, windowSeconds: 600 } }, '127.0.0.1, 10.0.0.0/8');
    const go = (xff: string, from: string) =>
      app.request(
        `/${paths.sessions(ORG)}`,
        { method: 'POST', headers: { ...json, 'x-forwarded-for': xff }, body: JSON.stringify({ email: uniqueEmail(), password: 'whatever pass' }) },
        peer(from),
      );
    assert.equal((await go('198.18.1.1, 10.1.2.3', '127.0.0.1')).status, 401);
    assert.equal((await go('6.6.6.6, 198.18.1.1, 10.4.4.4', '127.0.0.1')).status, 429, 'same client 198.18.1.1 behind two trusted hops');
    // A peer that is not a trusted proxy is the client, whatever it writes.
    assert.equal((await go('198.18.2.2', '192.0.2.200')).status, 401);
    assert.equal((await go('198.18.3.3', '192.0.2.200')).status, 429);
  });

  test('a hop count takes the address that many hops from the right', async () => {
    const app = tinyApp({ signInPerIp: { max: 1, windowSeconds: 600 } }, 2);
    const go = (xff: string) =>
      app.request(
        `/${paths.sessions(ORG)}`,
        { method: 'POST', headers: { ...json, 'x-forwarded-for': xff }, body: JSON.stringify({ email: uniqueEmail(), password: 'whatever pass' }) },
        peer('192.0.2.1'),
      );
    assert.equal((await go('1.1.1.1, 198.18.5.5, 192.0.2.9')).status, 401);
    assert.equal((await go('2.2.2.2, 198.18.5.5, 192.0.2.10')).status, 429);
  });

  test('IPv6 clients share a bucket per /64', async () => {
    const app = tinyApp({ signInPerIp: { max: 1, windowSeconds: 600 } });
    const go = (from: string) =>
      app.request(
        `/${paths.sessions(ORG)}`,
        { method: 'POST', headers: json, body: JSON.stringify({ email: uniqueEmail(), password: 'whatever pass' }) },
        peer(from),
      );
    assert.equal((await go('2001:db8:1:2::1')).status, 401);
    assert.equal((await go('2001:db8:1:2:ffff:ffff:ffff:fffe')).status, 429, 'same /64');
    assert.equal((await go('2001:db8:1:3::1')).status, 401, 'next /64');
    assert.equal((await go('::ffff:192.0.2.55')).status, 401);
    assert.equal((await go('192.0.2.55')).status, 429, 'IPv4-mapped is the IPv4 address');
  });

  test('TRUST_PROXY is parsed strictly: a mistake stops the start with one clear line', async () => {
    assert.deepEqual(parseTrustProxy(undefined), parseTrustProxy(''));
    for (const bad of ['true', '10.0.0.0/33', 'not-an-ip', '-1', '1.2.3']) {
      assert.throws(() => parseTrustProxy(bad), /TRUST_PROXY/, bad);
    }
    const started = await startApi({ PORT: '0', DATA_DIR: 'memory', DATABASE_URL: '', NODE_ENV: 'development', TRUST_PROXY: '10.0.0.0/33' }).then(
      async (api) => {
        await api.stop();
        return undefined;
      },
      (err: Error) => err,
    );
    assert.ok(started, 'the API must not start with a broken TRUST_PROXY');
    const lines = started.message.split('\n').filter((l) => /TRUST_PROXY/.test(l));
    assert.equal(lines.length, 1, started.message);
  });
});

// ----- helpers: an app over the same database with small limits and a chosen peer address --------

const json = { 'content-type': 'application/json' };

function peer(remoteAddress: string) {
  return { incoming: { socket: { remoteAddress } } };
}

function tinyApp(limits: Partial<RateLimits>, trustProxy: string | number = '') {
  return createApp({
    db: server.db,
    config: {
      production: false,
      tokenSecret: 'limits',
      rateLimits: { ...DEFAULT_RATE_LIMITS, ...limits },
      trustProxy: parseTrustProxy(trustProxy),
      refreshGraceSeconds: 10,
      accessTokenSeconds: 300,
      publicUrl: () => 'http://api.example.test',
    },
  });
}
