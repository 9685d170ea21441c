/**
 * Issue 9, item 3 (and the mail half of item 6): an SMTP outage longer than the old retry horizon
 * (8 attempts, about 10 minutes — here on a fast clock) loses nothing and, once the relay is back,
 * delivers every message exactly once; temporary answers (4xx) are retried, permanent ones (5xx)
 * fail at once, a message past its own expiry is never sent; two dispatchers with a slow relay never
 * send twice; the pending backlog (count, oldest age) is exposed for readiness; a production server
 * without SMTP keeps mail queued and says so.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { paths } from '../../src/api/contract.ts';
import type { RunningServer } from '../../server/index.ts';
import { OutboxDispatcher, outboxBacklog, smtpTransport } from '../../server/domain/outbox.ts';
import { Client, ORG, freePort, startSmtpSink, startTestServer, uniqueEmail, waitFor, type SmtpSink } from './helpers.ts';

const FAST = { outboxPollMs: 20, outboxBackoffSeconds: 0.01, outboxMaxBackoffSeconds: 0.05, smtpTimeoutMs: 3000 };

async function rowsTo(server: RunningServer, emails: string[]) {
  return server.db.selectFrom('outbox').selectAll().where('to_address', 'in', emails).execute();
}

function deliveredTo(sink: SmtpSink, email: string): number {
  return sink.messages.filter((m) => m.to.includes(email.toLowerCase())).length;
}

describe('an SMTP outage longer than the old retry horizon', () => {
  let server: RunningServer;
  let sink: SmtpSink | undefined;
  let port: number;

  before(async () => {
    port = await freePort();
    server = await startTestServer({ smtpUrl: `smtp://127.0.0.1:${port}`, ...FAST });
  });
  after(async () => {
    await server?.close();
    await sink?.close();
  });

  test('keeps every message pending, then delivers each exactly once when the relay is back', async () => {
    const api = new Client(server.url);
    const emails = Array.from({ length: 5 }, () => uniqueEmail('outage'));
    for (const email of emails) assert.equal((await api.signup({ firstName: 'Out', lastName: 'Age', email })).status, 202);
    // Far past the old horizon (8 attempts → failed for good).
    await waitFor('many failed attempts', async () => (await rowsTo(server, emails)).every((r) => r.attempts >= 16), 30_000);
    const during = await rowsTo(server, emails);
    assert.ok(
      during.every((r) => r.status === 'pending'),
      JSON.stringify(during.map((r) => [r.status, r.attempts, r.last_error])),
    );
    assert.ok(during.every((r) => r.last_error === 'ECONNREFUSED'));
    const backlog = await outboxBacklog(server.db);
    assert.ok(backlog.pending >= 5, JSON.stringify(backlog));
    assert.ok(backlog.oldestAgeSeconds !== null && backlog.oldestAgeSeconds >= 0, JSON.stringify(backlog));

    sink = await startSmtpSink(port);
    await waitFor('all delivered', async () => (await rowsTo(server, emails)).every((r) => r.status === 'sent'), 30_000);
    // A few more dispatcher passes: nothing is sent again.
    await new Promise((r) => setTimeout(r, 300));
    for (const email of emails) assert.equal(deliveredTo(sink, email), 1, email);
    assert.equal((await outboxBacklog(server.db)).pending, 0);
  });
});

describe('how the relay answers decides', () => {
  let server: RunningServer;
  let sink: SmtpSink;
  const refuse = new Map<string, string>();

  before(async () => {
    sink = await startSmtpSink(0, { rcptReply: (to) => refuse.get(to) });
    server = await startTestServer({ smtpUrl: `smtp://127.0.0.1:${sink.port}`, ...FAST });
  });
  after(async () => {
    await server?.close();
    await sink?.close();
  });

  test('a temporary 4xx is retried until accepted; a permanent 5xx fails at once', async () => {
    const api = new Client(server.url);
    const later = uniqueEmail('greylisted');
    const never = uniqueEmail('nouser');
    refuse.set(later.toLowerCase(), '451 4.7.1 greylisted, try again later');
    refuse.set(never.toLowerCase(), '550 5.1.1 no such user');
    await api.signup({ firstName: 'Grey', lastName: 'Listed', email: later });
    await api.signup({ firstName: 'No', lastName: 'User', email: never });
    await waitFor('greylisted retried', async () => (await rowsTo(server, [later]))[0]!.attempts >= 3);
    const [failed] = await waitFor('permanent failure', async () => {
      const rows = await rowsTo(server, [never]);
      return rows[0]?.status === 'failed' ? rows : undefined;
    });
    assert.equal(failed!.attempts, 1, 'a permanent answer is not retried');
    assert.match(failed!.last_error ?? '', /550/);
    assert.equal((await rowsTo(server, [later]))[0]!.status, 'pending');
    refuse.delete(later.toLowerCase());
    await waitFor('greylisted delivered', async () => (await rowsTo(server, [later]))[0]!.status === 'sent');
    assert.equal(deliveredTo(sink, later), 1);
    assert.equal(deliveredTo(sink, never), 0);
  });

  test('a message past its own expiry (the link in it is dead) is never sent', async () => {
    const api = new Client(server.url);
    const email = uniqueEmail('expired');
    refuse.set(email.toLowerCase(), '450 4.2.1 mailbox busy, try later');
    await api.signup({ firstName: 'Ex', lastName: 'Pired', email });
    const [row] = await rowsTo(server, [email]);
    const ttl = new Date(row!.expires_at!).getTime() - new Date(row!.created_at).getTime();
    assert.ok(Math.abs(ttl - 24 * 3_600_000) < 60_000, `confirmation mail lives 24 h, got ${ttl} ms`);
    await waitFor('a temporary refusal', async () => (await rowsTo(server, [email]))[0]?.last_error === '450');
    // Its link dies (the clock jumps past the message's expiry) while the relay still says "later".
    await server.db
      .updateTable('outbox')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('to_address', '=', email)
      .execute();
    const [done] = await waitFor('expired', async () => {
      const rows = await rowsTo(server, [email]);
      return rows[0]?.status === 'failed' ? rows : undefined;
    });
    assert.equal(done!.last_error, 'expired');
    // The relay is back: the dead link is not sent late.
    refuse.delete(email.toLowerCase());
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await rowsTo(server, [email]))[0]!.status, 'failed');
    assert.equal(deliveredTo(sink, email), 0);
  });

  test('a reset mail expires with its link (1 h)', async () => {
    const api = new Client(server.url);
    const { email } = await api.newAccount();
    await api.post(paths.passwordReset(ORG), { email });
    await server.idle(); // the reset is written after its answer (server/after-answer.ts)
    const rows = await rowsTo(server, [email]);
    const reset = rows.find((r) => r.template === 'password_reset')!;
    const ttl = new Date(reset.expires_at!).getTime() - new Date(reset.created_at).getTime();
    assert.ok(Math.abs(ttl - 3_600_000) < 60_000, String(ttl));
  });
});

describe('exactly once across dispatchers with a slow relay', () => {
  let server: RunningServer;
  let sink: SmtpSink;

  before(async () => {
    sink = await startSmtpSink(0, { dataDelayMs: 400 });
    server = await startTestServer();
    await server.dispatcher.stop();
  });
  after(async () => {
    await server?.close();
    await sink?.close();
  });

  test('two dispatchers over one database send each message once', async () => {
    const api = new Client(server.url);
    const emails = Array.from({ length: 8 }, () => uniqueEmail('slowrelay'));
    for (const email of emails) await api.signup({ firstName: 'Slow', lastName: 'Relay', email });
    const make = async () =>
      new OutboxDispatcher(server.db, {
        transports: { email: await smtpTransport(`smtp://127.0.0.1:${sink.port}`, 'portal@example.test', { sendTimeoutMs: 5000 }) },
        pollMs: 10,
        backoffSeconds: 0.01,
      });
    const [a, b] = [await make(), await make()];
    a.start();
    b.start();
    try {
      await waitFor('all sent', async () => (await rowsTo(server, emails)).every((r) => r.status === 'sent'), 30_000);
    } finally {
      await a.stop();
      await b.stop();
    }
    for (const email of emails) assert.equal(deliveredTo(sink, email), 1, email);
    const leases = await rowsTo(server, emails);
    assert.ok(
      leases.every((r) => r.attempts === 1),
      JSON.stringify(leases.map((r) => r.attempts)),
    );
  });

  test('the claim lease is longer than the send timeout', async () => {
    assert.throws(
      () => new OutboxDispatcher(server.db, { leaseSeconds: 5, transports: { email: { name: 'x', sendTimeoutMs: 10_000, send: async () => {} } } }),
      /lease/i,
    );
  });
});

describe('production without SMTP', () => {
  test('accepts work, keeps the mail queued, and says so in its log', async () => {
    const lines: string[] = [];
    const original = { log: console.log, warn: console.warn, error: console.error };
    for (const k of ['log', 'warn', 'error'] as const) console[k] = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
    let server: RunningServer | undefined;
    try {
      // Production, and the run's database (a PGlite copy, or a schema of its own on PostgreSQL).
      server = await startTestServer({ production: true, outboxPollMs: 20 });
    } finally {
      Object.assign(console, original);
    }
    try {
      assert.ok(
        lines.some((l) => /SMTP/.test(l) && /queued|pending/i.test(l)),
        lines.join('\n'),
      );
      await server.db
        .insertInto('orgs')
        .values({
          slug: 'prod-org',
          name: 'Prod Org',
          portal_url: 'https://portal.example.org/',
          tier: 'basic',
          modules: [],
          allowed_origins: ['https://portal.example.org'],
          primary_color: null,
          logo_url: null,
          api_key_hash: null,
        })
        .execute();
      const api = new Client(server.url, 'prod-org');
      const email = uniqueEmail('prodmail');
      assert.equal((await api.signup({ firstName: 'Pro', lastName: 'Duction', email })).status, 202);
      await new Promise((r) => setTimeout(r, 200));
      const rows = await rowsTo(server, [email]);
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.status, 'pending');
      assert.equal((await outboxBacklog(server.db)).pending, 1);
    } finally {
      await server.close();
    }
  });
});
