/**
 * Faults: SMTP down (mail waits in the outbox with back-off, then goes, nothing lost); a failure
 * between a change and its mail (both commit or neither); the database connection failing
 * mid-request (a clean 500 `server_error`, no stack, nothing half-written; the server recovers).
 * The real `pg_terminate_backend` cases run on PostgreSQL only; the driver-level failure runs on both.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  sql,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import { paths } from '../../src/api/contract.ts';
import { createApp, type AppConfig } from '../../server/app.ts';
import { parseTrustProxy } from '../../server/routes/http.ts';
import type { RunningServer } from '../../server/index.ts';
import { Client, ORG, errorCode, freePort, startSmtpSink, startTestServer, uniqueEmail, waitFor, type SmtpSink } from './helpers.ts';

const DATABASE_URL = process.env.DATABASE_URL || '';
const ADMIN_KEY = 'faults-admin-key-0123456789';

/** Runs `fn` with console.error silenced (the server logs the unexpected errors these tests cause). */
async function quietly<T>(fn: () => Promise<T>, logged: string[] = []): Promise<T> {
  const original = console.error;
  console.error = (...args: unknown[]) => void logged.push(args.map(String).join(' '));
  try {
    return await fn();
  } finally {
    console.error = original;
  }
}

function assertCleanServerError(r: { status: number; text: string; body: unknown }): void {
  assert.equal(r.status, 500, r.text);
  assert.equal(errorCode({ headers: new Headers(), ...r }), 'server_error');
  assert.doesNotMatch(r.text, /\bat \w|\.ts\b|simulated|terminat|stack|SQL|relation/i, 'no stack or driver detail');
}

describe('SMTP down', () => {
  let server: RunningServer; // its own server: its dispatcher talks to a (down) SMTP server
  let api: Client;
  let smtp: SmtpSink | undefined;
  let port: number;

  before(async () => {
    port = await freePort(); // nothing listens here yet: connections are refused
    server = await startTestServer({ smtpUrl: `smtp://127.0.0.1:${port}?ignoreTLS=true`, outboxBackoffSeconds: 1, outboxPollMs: 50 });
    api = new Client(server.url);
  });
  after(async () => {
    await server?.close();
    await smtp?.close();
  });

  test('mail waits in the outbox (pending, attempts counted, back-off) and is delivered when SMTP returns', async () => {
    const email = uniqueEmail('smtpdown');
    const others = [uniqueEmail('smtpdown'), uniqueEmail('smtpdown')];
    const r = await quietly(() => api.signup({ firstName: 'Down', lastName: 'Time', email }));
    assert.equal(r.status, 202, 'the sign-up itself does not wait for SMTP');
    for (const o of others) assert.equal((await api.signup({ firstName: 'Down', lastName: 'Other', email: o })).status, 202);
    const row = () => server.db.selectFrom('outbox').selectAll().where('to_address', '=', email).executeTakeFirstOrThrow();
    // Two attempts made and the second one's failure recorded (not in flight: the lock is released).
    const failing = await quietly(() =>
      waitFor('two failed attempts', async () => {
        const r = await row();
        return r.attempts >= 2 && r.locked_until === null ? r : undefined;
      }),
    );
    assert.equal(failing.status, 'pending');
    assert.match(failing.last_error ?? '', /^(ESOCKET|ECONNREFUSED|ECONNECTION)$/, 'the error class is kept');
    assert.equal(failing.sent_at, null);
    // Back-off doubles: 1 s after the first failure, 2 s after the second.
    const wait = (failing.next_attempt_at.getTime() - Date.now()) / 1000;
    assert.ok(failing.attempts > 2 || (wait > 0 && wait <= 2.5), `next attempt in ~2 s, got ${wait}`);

    smtp = await startSmtpSink(port); // SMTP is back
    await waitFor(
      'delivery after SMTP returns',
      async () => {
        const rows = await server.db
          .selectFrom('outbox')
          .select('status')
          .where('to_address', 'in', [email, ...others])
          .execute();
        return rows.length === 3 && rows.every((x) => x.status === 'sent');
      },
      20_000,
    );
    const sent = await row();
    assert.equal(sent.delivered_via, 'smtp');
    assert.equal(sent.last_error, null);
    const to = smtp.messages.flatMap((m) => m.to);
    for (const addr of [email, ...others]) assert.equal(to.filter((t) => t === addr).length, 1, `one message to ${addr}`);
    // The delivered link still works.
    const token = /portal-token=([A-Za-z0-9_-]+)/.exec(sent.text_body)![1]!;
    assert.equal((await api.complete(token)).status, 200);
  });
});

/** One server (PostgreSQL: in a schema this file names) for the transaction and connection faults. */
const schema = `portal_test_faults_${process.pid}_${randomBytes(4).toString('hex')}`;
let server: RunningServer;
let api: Client;
before(async () => {
  server = await startTestServer({ adminApiKeys: { [ORG]: ADMIN_KEY }, ...(DATABASE_URL ? { schema, dropSchemaOnClose: true } : {}) });
  api = new Client(server.url);
});
after(async () => {
  await server?.close();
});

describe('a change and its mail commit together, or not at all', () => {
  before(async () => {
    // Simulated crashes, inside the same transaction, right after the change was written:
    // writing mail to an `explode.*` address fails, and so does the audit row of an `explode.*` account.
    await sql`CREATE FUNCTION fault_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.to_address LIKE 'explode.%' THEN RAISE EXCEPTION 'simulated crash'; END IF; RETURN NEW; END $$`.execute(server.db);
    await sql`CREATE TRIGGER fault_outbox BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION fault_outbox()`.execute(server.db);
    await sql`CREATE FUNCTION fault_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.action = 'account.created' AND EXISTS (SELECT 1 FROM accounts WHERE email_norm LIKE 'boom.%') THEN
        RAISE EXCEPTION 'simulated crash'; END IF; RETURN NEW; END $$`.execute(server.db);
    await sql`CREATE TRIGGER fault_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION fault_audit()`.execute(server.db);
  });

  const count = async (
    table: 'pending_signups' | 'outbox' | 'accounts' | 'password_resets' | 'invitations' | 'constituents',
    col: string,
    value: string,
  ) =>
    Number(
      (
        await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE lower(${sql.ref(col)}) = ${value.toLowerCase()}`.execute(
          server.db,
        )
      ).rows[0]!.n,
    );

  test('sign-up: no token row without its mail', async () => {
    const email = uniqueEmail('explode');
    const r = await quietly(() => api.signup({ firstName: 'Ex', lastName: 'Plode', email }));
    assertCleanServerError(r);
    assert.equal(await count('pending_signups', 'email', email), 0);
    assert.equal(await count('outbox', 'to_address', email), 0);
  });

  test('password reset: no reset token without its mail', async () => {
    const email = uniqueEmail('explode');
    const f = await api.post(`dev/orgs/${ORG}/fixtures`, { firstName: 'Ex', lastName: 'Plode', email, password: 'a long passphrase 1' });
    assert.equal(f.status, 201, f.text);
    // The answer does not wait for the reset's writes (they would tell an account's email from an
    // unknown one by its timing): the same 202, then the failed work is logged and leaves nothing.
    const logged: string[] = [];
    const r = await quietly(async () => {
      const answer = await api.post(paths.passwordReset(ORG), { email });
      await server.idle();
      return answer;
    }, logged);
    assert.equal(r.status, 202, r.text);
    assert.ok(
      logged.some((l) => /password-reset request failed after its answer/.test(l)),
      logged.join('\n'),
    );
    assert.ok(!logged.some((l) => l.includes(email)), 'the log line does not carry the address');
    const account = (f.body as { accountId: string }).accountId;
    const resets = await server.db.selectFrom('password_resets').select('id').where('account_id', '=', account).execute();
    assert.equal(resets.length, 0);
    assert.equal(await count('outbox', 'to_address', email), 0);
  });

  test('invitation: no invitation row without its mail', async () => {
    const email = uniqueEmail('explode');
    const f = await api.post(`dev/orgs/${ORG}/fixtures`, { firstName: 'Ex', lastName: 'Plode', email });
    const id = (f.body as { constituentId: string }).constituentId;
    const r = await quietly(() =>
      api.post(`v1/orgs/${ORG}/admin/invitations`, { constituentIds: [id], channel: 'email' }, { authorization: `Bearer ${ADMIN_KEY}` }),
    );
    assertCleanServerError(r);
    assert.equal((await server.db.selectFrom('invitations').select('id').where('constituent_id', '=', id).execute()).length, 0);
    assert.equal(await count('outbox', 'to_address', email), 0);
  });

  test('confirmation: a crash after the account insert leaves no account, no record, and the link still valid', async () => {
    const email = uniqueEmail('boom');
    assert.equal((await api.signup({ firstName: 'Bo', lastName: 'Om', email })).status, 202);
    const token = await api.latestToken(email);
    const r = await quietly(() => api.complete(token));
    assertCleanServerError(r);
    assert.equal(await count('accounts', 'email', email), 0, 'no account');
    assert.equal(await count('constituents', 'email', email), 0, 'no record created by matching');
    const pending = await server.db.selectFrom('pending_signups').select('used_at').where('email', '=', email).executeTakeFirstOrThrow();
    assert.equal(pending.used_at, null, 'the token was not spent');
    // The fault clears; the same link now works, once.
    await sql`DROP TRIGGER fault_audit ON audit_log`.execute(server.db);
    assert.equal((await api.complete(token)).status, 200);
    assert.equal(await count('accounts', 'email', email), 1);
    assert.equal(await count('constituents', 'email', email), 1);
  });
});

/** Makes the driver fail right after a matching query ran, as a connection dropping mid-reply would. */
class DropAfter implements KyselyPlugin {
  readonly #hit = new WeakSet<object>();
  constructor(readonly table: string) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node as { kind: string; into?: { table?: { identifier?: { name?: string } } } };
    if (node.kind === 'InsertQueryNode' && node.into?.table?.identifier?.name === this.table) this.#hit.add(args.queryId);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.#hit.has(args.queryId)) throw Object.assign(new Error('Connection terminated unexpectedly'), { code: '57P01' });
    return args.result;
  }
}

describe('the database failing mid-request', () => {
  test('a query failing in the driver mid-transaction: 500 server_error JSON, nothing half-written', async () => {
    const config: AppConfig = {
      production: false,
      tokenSecret: 'faults',
      rateLimits: null,
      trustProxy: parseTrustProxy(undefined),
      refreshGraceSeconds: 0,
      accessTokenSeconds: 300,
      publicUrl: () => 'http://api.example.test',
    };
    const app = createApp({ db: server.db.withPlugin(new DropAfter('outbox')), config });
    const email = uniqueEmail('dropped');
    const res = await quietly(async () =>
      app.request(
        `/${paths.signup(ORG)}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ kind: 'individual', firstName: 'Dr', lastName: 'Op', email }),
        },
        { incoming: { socket: { remoteAddress: '203.0.113.77' } } },
      ),
    );
    const text = await res.text();
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    assertCleanServerError({ status: res.status, text, body: JSON.parse(text) });
    const rows = await server.db.selectFrom('pending_signups').select('id').where('email', '=', email).execute();
    assert.equal(rows.length, 0, 'the token row was rolled back with the failed mail insert');
    assert.equal((await server.db.selectFrom('outbox').select('id').where('to_address', '=', email).execute()).length, 0);
  });

  if (DATABASE_URL) {
    describe('PostgreSQL: pg_terminate_backend', () => {
      let admin: import('pg').Pool;
      const appName = `portal-api:${schema}`;

      before(async () => {
        const { default: pg } = await import('pg');
        admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2, application_name: 'portal-faults-test' });
        admin.on('connect', (c) => void c.query(`SET search_path TO "${schema}"`));
      });
      after(async () => {
        await admin?.end();
      });

      const terminate = () =>
        admin.query(`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1`, [appName]);

      test('connections killed mid-request: 500 server_error, no half-written rows, then the server recovers', async () => {
        const email = uniqueEmail('killed');
        const lock = await admin.connect();
        try {
          // Hold the outbox so the sign-up transaction stops right after writing its token row.
          await lock.query('BEGIN');
          await lock.query('LOCK TABLE outbox IN EXCLUSIVE MODE');
          const pending = quietly(() => api.signup({ firstName: 'Ki', lastName: 'Lled', email }));
          await waitFor('the sign-up waiting on the outbox lock', async () => {
            const r = await admin.query(
              `SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock' AND query ILIKE 'insert into "outbox"%'`,
              [appName],
            );
            return r.rows.length > 0;
          });
          const killed = await quietly(terminate);
          assert.ok(killed.rows[0].n >= 1);
          const r = await pending;
          assertCleanServerError(r);
          await lock.query('ROLLBACK');
        } finally {
          lock.release();
        }
        assert.equal((await admin.query(`SELECT count(*)::int AS n FROM pending_signups WHERE email = $1`, [email])).rows[0].n, 0);
        assert.equal((await admin.query(`SELECT count(*)::int AS n FROM outbox WHERE to_address = $1`, [email])).rows[0].n, 0);
        // The process is alive and the pool reconnects: the same request now succeeds, mail goes out.
        const again = await quietly(() =>
          waitFor('recovery', async () => ((await api.signup({ firstName: 'Ki', lastName: 'Lled', email })).status === 202 ? true : undefined)),
        );
        assert.ok(again);
        assert.ok(await api.latestToken(email));
      });

      test('idle connections dropped between requests (a database restart): the next requests succeed', async () => {
        assert.equal((await api.get(paths.portal(ORG))).status, 200);
        await quietly(async () => {
          await terminate();
          await new Promise((r) => setTimeout(r, 300)); // the pool notices and discards them
        });
        for (let i = 0; i < 5; i++) assert.equal((await api.get(paths.portal(ORG))).status, 200);
        const { result } = await api.newAccount();
        assert.equal((await api.me(result.session.accessToken)).status, 200);
      });
    });
  }
});
