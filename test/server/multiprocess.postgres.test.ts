/**
 * More than one machine: two real API processes (`node --import tsx server/main.ts`) share one
 * PostgreSQL schema and one TOKEN_SECRET, as two machines behind a load balancer would. Proves that
 * nothing lives in one process's memory: rate limits, session revocation (access and refresh
 * tokens), refresh-token reuse, one account per email under concurrent confirmations, the outbox
 * (each message sent exactly once with both dispatchers running) — and the one thing each process
 * does keep, org rows for ORG_CACHE_TTL_MS: a change made by the CLI reaches both within that time.
 *
 * PostgreSQL only (hence `.postgres.test.ts`): PGlite is one in-process database, so two processes
 * cannot share it. `npm test` leaves the file out of the PGlite run and runs it on PostgreSQL, as CI
 * does. Run by hand without DATABASE_URL it registers no tests.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { spawn } from 'node:child_process';
import { ROOT, startApi, type ApiProcess } from '../../scripts/lib/proc.ts';
import { ORG_CACHE_TTL_MS } from '../../server/domain/orgs.ts';
import { AuthResult, paths } from '../../src/api/contract.ts';
import { Client, ORG, errorCode, startSmtpSink, uniqueEmail, waitFor, type SmtpSink } from './helpers.ts';

const DATABASE_URL = process.env.DATABASE_URL || '';

if (DATABASE_URL) {
  describe('two API processes on one database', () => {
    const schema = `portal_test_mp_${process.pid}_${randomBytes(4).toString('hex')}`;
    let a: ApiProcess;
    let b: ApiProcess;
    let apiA: Client;
    let apiB: Client;
    let smtp: SmtpSink;
    let pool: import('pg').Pool;

    before(async () => {
      const { default: pg } = await import('pg');
      pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
      pool.on('connect', (c) => void c.query(`SET search_path TO "${schema}"`));
      smtp = await startSmtpSink();
      const env = {
        PORT: '0',
        DATABASE_URL,
        DATABASE_SCHEMA: schema,
        DATABASE_SCHEMA_TEMPORARY: '',
        TOKEN_SECRET: randomBytes(32).toString('base64url'),
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}?ignoreTLS=true`,
        MAIL_FROM: 'Portal <portal@example.test>',
        OUTBOX_POLL_MS: '100',
        REFRESH_GRACE_SECONDS: '0',
        RATE_LIMITS: '',
        NODE_ENV: 'development',
      };
      // Both start at once against a fresh schema: migrations and seeding must not race.
      [a, b] = await Promise.all([startApi(env), startApi(env)]);
      apiA = new Client(a.url);
      apiB = new Client(b.url);
    });

    after(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool?.end();
      await smtp?.close();
    });

    test('both started cleanly on one fresh schema (one seed, one token secret)', async () => {
      const orgs = await pool.query(`SELECT count(*)::int AS n FROM orgs WHERE slug = $1`, [ORG]);
      assert.equal(orgs.rows[0].n, 1);
      const people = await pool.query(`SELECT count(*)::int AS n FROM constituents WHERE email_norm = 'maria.garcia@example.org'`);
      assert.equal(people.rows[0].n, 1, 'seeded once');
      assert.equal((await apiA.get(paths.portal(ORG))).status, 200);
      assert.equal((await apiB.get(paths.portal(ORG))).status, 200);
    });

    test('a rate limit hit through one process holds on the other', async () => {
      const email = uniqueEmail('limit');
      const statuses: number[] = [];
      // Default limit: 10 sign-in attempts per email per 15 minutes, counted across both.
      for (let i = 0; i < 10; i++) statuses.push((await (i % 2 ? apiB : apiA).signIn(email, 'wrong password 1')).status);
      assert.deepEqual(statuses, Array(10).fill(401));
      for (const api of [apiA, apiB]) {
        const r = await api.signIn(email, 'wrong password 1');
        assert.equal(r.status, 429);
        assert.equal(errorCode(r), 'rate_limited');
        assert.ok(Number(r.headers.get('retry-after')) > 0);
      }
    });

    async function fixtureAccount(): Promise<{ email: string; password: string }> {
      const email = uniqueEmail('mp');
      const password = 'a long passphrase 1';
      const r = await apiA.post(`dev/orgs/${ORG}/fixtures`, { firstName: 'Multi', lastName: 'Process', email, password });
      assert.equal(r.status, 201, r.text);
      return { email, password };
    }

    const authOf = (r: { status: number; body: unknown; text: string }) => {
      assert.equal(r.status, 200, r.text);
      return AuthResult.parse(r.body);
    };
    const signOut = (api: Client, accessToken: string, everywhere = false) =>
      api.request('DELETE', everywhere ? paths.sessions(ORG) : paths.sessionsCurrent(ORG), { headers: api.bearer(accessToken) });

    test('a session signed out on one process is refused by the other (access and refresh tokens)', async () => {
      const { email, password } = await fixtureAccount();
      const s = authOf(await apiA.signIn(email, password)).session;
      assert.equal((await apiB.me(s.accessToken)).status, 200, 'B accepts a token A issued');
      assert.equal((await signOut(apiA, s.accessToken)).status, 204);
      const me = await apiB.me(s.accessToken);
      assert.equal(me.status, 401);
      assert.equal(errorCode(me), 'unauthorized');
      const refresh = await apiB.refresh(s.refreshToken);
      assert.equal(refresh.status, 401);
      assert.equal(errorCode(refresh), 'unauthorized');
    });

    test('sign out everywhere on one process ends sessions made on both', async () => {
      const { email, password } = await fixtureAccount();
      const onA = authOf(await apiA.signIn(email, password)).session;
      const onB = authOf(await apiB.signIn(email, password)).session;
      assert.equal((await signOut(apiB, onB.accessToken, true)).status, 204);
      assert.equal((await apiA.me(onA.accessToken)).status, 401);
      assert.equal((await apiA.refresh(onA.refreshToken)).status, 401);
      assert.equal((await apiB.refresh(onB.refreshToken)).status, 401);
    });

    test('refresh rotated on one process; the old token replayed on the other revokes the session', async () => {
      const { email, password } = await fixtureAccount();
      const first = authOf(await apiA.signIn(email, password)).session;
      const second = authOf(await apiB.refresh(first.refreshToken)).session;
      await new Promise((r) => setTimeout(r, 20)); // past the (0 s) grace window
      assert.equal((await apiA.refresh(first.refreshToken)).status, 401, 'reuse detected');
      assert.equal((await apiB.me(second.accessToken)).status, 401, 'the whole session is revoked');
      assert.equal((await apiA.refresh(second.refreshToken)).status, 401);
    });

    test('each outbox message is sent exactly once with both dispatchers running', async () => {
      const recipients: string[] = [];
      // Sign-ups through both processes (each wakes its own dispatcher) …
      for (let i = 0; i < 10; i++) {
        const email = uniqueEmail('once');
        recipients.push(email);
        const r = await (i % 2 ? apiB : apiA).signup({ firstName: 'Once', lastName: `N${i}`, email });
        assert.equal(r.status, 202, r.text);
      }
      // … and a burst written straight into the outbox, which both dispatchers then race for.
      const burst = Array.from({ length: 40 }, () => uniqueEmail('burst'));
      recipients.push(...burst);
      await pool.query(
        `INSERT INTO outbox (org_id, channel, to_address, subject, text_body, html_body, template)
         SELECT NULL, 'email', t, 'Burst', 'Hello', NULL, 'test' FROM unnest($1::text[]) AS t`,
        [burst],
      );
      const wanted = new Set(recipients.map((r) => r.toLowerCase()));
      await waitFor('every message delivered', async () => smtp.messages.filter((m) => m.to.some((t) => wanted.has(t))).length >= wanted.size);
      await new Promise((r) => setTimeout(r, 500)); // a late duplicate would show up by now
      const counts = new Map<string, number>();
      for (const m of smtp.messages) for (const t of m.to) if (wanted.has(t)) counts.set(t, (counts.get(t) ?? 0) + 1);
      assert.equal(counts.size, wanted.size, 'every recipient got mail');
      assert.deepEqual(
        [...counts.values()].filter((n) => n !== 1),
        [],
        'nobody got a message twice',
      );
      const rows = await pool.query(`SELECT status, attempts, delivered_via FROM outbox WHERE lower(to_address) = ANY($1::text[])`, [[...wanted]]);
      assert.equal(rows.rows.length, wanted.size);
      for (const r of rows.rows) assert.deepEqual(r, { status: 'sent', attempts: 1, delivered_via: 'smtp' });
    });

    test('concurrent confirmations of one email through both processes make exactly one account', async () => {
      const email = uniqueEmail('race');
      // Five sign-ups (the per-email limit) → five valid links, mailed over SMTP.
      for (let i = 0; i < 5; i++) assert.equal((await (i % 2 ? apiB : apiA).signup({ firstName: 'Ra', lastName: 'Ce', email })).status, 202);
      const tokens = await waitFor('five links', async () => {
        const found = smtp.messages
          .filter((m) => m.to.includes(email.toLowerCase()))
          .map((m) => /portal-token=([A-Za-z0-9_-]+)/.exec(m.data.replace(/=\r?\n/g, '').replace(/=3D/g, '='))?.[1])
          .filter((t): t is string => Boolean(t));
        return found.length >= 5 ? found : undefined;
      });
      const results = await Promise.all(tokens.flatMap((t) => [apiA.complete(t), apiB.complete(t)]));
      assert.equal(results.filter((r) => r.status === 200).length, 1, results.map((r) => r.status).join(','));
      for (const r of results.filter((x) => x.status !== 200)) assert.equal(errorCode(r), 'token_invalid');
      const n = await pool.query(`SELECT count(*)::int AS n FROM accounts WHERE email_norm = $1`, [email.toLowerCase()]);
      assert.equal(n.rows[0].n, 1);
      const people = await pool.query(`SELECT count(*)::int AS n FROM constituents WHERE email_norm = $1`, [email.toLowerCase()]);
      assert.equal(people.rows[0].n, 1, 'one record too');
    });

    test('an emailed token exchanged through one process is dead on the other; its completion token completes there once', async () => {
      const email = uniqueEmail('exchange');
      assert.equal((await apiA.signup({ firstName: 'Ex', lastName: 'Change', email })).status, 202);
      const token = await waitFor('the link', async () => {
        const m = smtp.messages.find((x) => x.to.includes(email.toLowerCase()));
        return m ? /portal-token=([A-Za-z0-9_-]+)/.exec(m.data.replace(/=\r?\n/g, '').replace(/=3D/g, '='))?.[1] : undefined;
      });
      const x = await apiA.post(paths.tokenExchange(ORG), { token });
      assert.equal(x.status, 200, x.text);
      const { completionToken } = x.body as { completionToken: string };
      assert.equal(errorCode(await apiB.post(paths.tokenExchange(ORG), { token })), 'token_invalid');
      assert.equal(errorCode(await apiB.complete(token)), 'token_invalid', 'the history link is dead on the other process');
      const results = await Promise.all([apiA.complete(completionToken), apiB.complete(completionToken)]);
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 400]);
    });

    test('wrong passwords split across both processes are counted together (failure limits are shared)', async () => {
      const { email, password } = await apiA.newAccount();
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await (i % 2 ? apiB : apiA).signIn(email, `wrong guess ${i}`)).status);
      assert.ok(statuses.includes(429), statuses.join(','));
      assert.ok(statuses.filter((s) => s === 401).length <= 10, statuses.join(','));
      assert.equal((await apiB.signIn(email, password)).status, 429, 'that client waits on both');
    });

    test('an org changed by another process (the CLI) is seen by both API processes within the org cache TTL', async () => {
      const origin = 'https://late.multiprocess.example';
      const portalFrom = (api: Client) => api.get(paths.portal(ORG), { origin });
      // Both hold the org row now (it is not read again on every request).
      for (const api of [apiA, apiB]) assert.equal(errorCode(await portalFrom(api)), 'origin_not_allowed');
      const cli = (...args: string[]) =>
        new Promise<number>((resolve) => {
          const p = spawn(process.execPath, ['--import', 'tsx', 'server/bin.ts', ...args], {
            cwd: ROOT,
            env: { ...process.env, DATABASE_URL, DATABASE_SCHEMA: schema, NODE_ENV: '' },
            stdio: 'ignore',
          });
          p.on('exit', (code) => resolve(code ?? 1));
        });
      const bound = ORG_CACHE_TTL_MS + 2000;
      assert.equal(await cli('org', 'origins', 'add', '--slug', ORG, origin), 0);
      let changed = Date.now();
      for (const api of [apiA, apiB]) await waitFor('the added origin allowed', async () => (await portalFrom(api)).status === 200, bound);
      assert.ok(Date.now() - changed <= bound, `seen within ${Date.now() - changed} ms`);
      assert.equal(await cli('org', 'origins', 'remove', '--slug', ORG, origin), 0);
      changed = Date.now();
      for (const api of [apiA, apiB]) await waitFor('the removed origin refused', async () => (await portalFrom(api)).status === 403, bound);
      assert.ok(Date.now() - changed <= bound, `seen within ${Date.now() - changed} ms`);
    });

    test('no process logged an error', () => {
      for (const p of [a, b]) assert.doesNotMatch(p.stderr(), /error/i, p.stderr());
    });
  });
} else {
  // Say so in the run's output rather than pass quietly.
  console.log('multiprocess.test.ts: PostgreSQL only (DATABASE_URL is not set): no tests registered');
}
