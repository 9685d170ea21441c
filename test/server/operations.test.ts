/**
 * Issue 12 over HTTP: /healthz and /readyz, request ids and structured request logs that carry no
 * token, password or email; signed webhooks that reach a local receiver and are retried while it is
 * down; the audit-log read API; staff tools for portal accounts. On PGlite, and on PostgreSQL when
 * DATABASE_URL is set.
 */
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { hostname } from 'node:os';
import { after, before, describe, test } from 'node:test';
import {
  AccountActivity,
  AccountList,
  AccountResult,
  AuditList,
  WebhookDeliveryList,
  WebhookEndpointCreated,
  WebhookEndpointList,
} from '../../src/api/admin.ts';
import { paths } from '../../src/api/contract.ts';
import type { RunningServer } from '../../server/index.ts';
import type { RequestLogEntry } from '../../server/types.ts';
import { startApi } from '../../scripts/lib/proc.ts';
import { pgliteCopy } from '../../scripts/lib/pglite-template.mjs';
import { authResult, Client, errorCode, freePort, ORG, startTestServer, uniqueEmail, waitFor, serverForFile } from './helpers.ts';

const KEY = { authorization: 'Bearer dev-admin-key-riverside-arts' };

const { server, api } = await serverForFile({ webhookPollMs: 30, webhookBackoffSeconds: 0.1 });

describe('health and readiness', () => {
  test('GET /healthz answers without the database; GET /readyz reports database, migrations and backlogs', async () => {
    const h = await api.get('healthz');
    assert.equal(h.status, 200);
    assert.deepEqual(h.body, { status: 'ok' });
    const r = await api.get('readyz');
    assert.equal(r.status, 200, r.text);
    const body = r.body as {
      status: string;
      checks: {
        database: { ok: boolean };
        migrations: { ok: boolean; pending: number[] };
        outbox: { pending: number };
        webhooks: { pending: number };
      };
    };
    assert.equal(body.status, 'ready');
    assert.equal(body.checks.database.ok, true);
    assert.deepEqual(body.checks.migrations, { ok: true, pending: [] });
    assert.equal(typeof body.checks.outbox.pending, 'number');
    assert.equal(typeof body.checks.webhooks.pending, 'number');
    assert.equal(r.headers.get('cache-control'), 'no-store');
  });

  test('a database that is not migrated is not ready (503), and says which versions are missing', async () => {
    await server.db
      .deleteFrom('schema_migrations' as never)
      .where('version' as never, '=', 10 as never)
      .execute();
    try {
      const r = await api.get('readyz');
      assert.equal(r.status, 503);
      assert.deepEqual((r.body as { checks: { migrations: unknown } }).checks.migrations, { ok: false, pending: [10] });
    } finally {
      await server.db
        .insertInto('schema_migrations' as never)
        .values({ version: 10, name: 'operations' } as never)
        .execute();
    }
    assert.equal((await api.get('readyz')).status, 200);
  });
});

describe('request ids and logs', () => {
  test('every answer has an X-Request-Id; a plain one from the caller is kept, anything else replaced', async () => {
    const made = await api.get(paths.portal(ORG));
    assert.match(made.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const kept = await api.get(paths.portal(ORG), { 'x-request-id': 'lb-1234.abc' });
    assert.equal(kept.headers.get('x-request-id'), 'lb-1234.abc');
    const replaced = await api.get(paths.portal(ORG), { 'x-request-id': 'x'.repeat(300) });
    assert.match(replaced.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const errored = await api.get('v1/orgs/no-such-org/portal');
    assert.equal(errored.status, 404);
    assert.ok(errored.headers.get('x-request-id'));
  });

  test('LOG_REQUESTS=on: one JSON line per request on stdout, with no token, password, email or query string in it', async () => {
    const schema = `portal_log_${process.pid}_${Date.now().toString(36)}`;
    const copy = process.env.DATABASE_URL ? undefined : await pgliteCopy();
    const proc = await startApi({
      PORT: '0',
      NODE_ENV: 'development',
      RATE_LIMITS: 'off',
      LOG_REQUESTS: 'on',
      ...(process.env.DATABASE_URL ? { DATABASE_SCHEMA: schema, DATABASE_SCHEMA_TEMPORARY: '1' } : { DATA_DIR: copy!.dir, DATABASE_URL: '' }),
    });
    let out = '';
    proc.child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const c = new Client(proc.url);
      const email = uniqueEmail('logged');
      const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abc';
      await c.signup({ firstName: 'Log', lastName: 'Ged', email });
      await c.signIn(email, 'my secret passphrase');
      assert.equal((await fetch(`${proc.url}/v1/orgs/${ORG}/invitations/${token}`, { redirect: 'manual' })).status, 302);
      await c.get(`dev/outbox?to=${encodeURIComponent(email)}`);
      await c.get(`v1/orgs/${ORG}/admin/constituents?q=${encodeURIComponent(email)}`, KEY);
      await c.get(`v1/orgs/${ORG}/me`, c.bearer(token));
      await waitFor('six log lines', async () => (out.trim().split('\n').length >= 6 ? true : undefined));
      const lines = out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as RequestLogEntry);
      assert.equal(lines.length, 6);
      for (const secret of [email, email.split('@')[0]!, encodeURIComponent(email), token, 'my secret passphrase', 'dev-admin-key', '?']) {
        assert.ok(!out.includes(secret), `log contains ${secret}:\n${out}`);
      }
      for (const l of lines) {
        assert.equal(l.msg, 'request');
        assert.match(l.requestId, /^[0-9a-f-]{36}$/);
        assert.equal(typeof l.durationMs, 'number');
        assert.ok(l.method && l.path.startsWith('/') && l.status >= 200 && l.time);
      }
      assert.equal(lines[2]!.path, `/v1/orgs/${ORG}/invitations/:redacted`);
      assert.equal(lines[1]!.status, 401);
      assert.equal(lines[1]!.level, 'warn');
      assert.equal(lines[0]!.org, ORG);
    } finally {
      await proc.stop();
      copy?.remove();
    }
  });
});

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A CRM's webhook receiver on a fixed port; `failFirst` answers 500 to that many requests. */
function receiver(port: number, failFirst = 0): Promise<{ server: Server; got: Received[]; close(): Promise<void> }> {
  const got: Received[] = [];
  let failures = failFirst;
  const srv = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (failures > 0) {
        failures -= 1;
        res.writeHead(500).end('not now');
        return;
      }
      got.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () =>
      resolve({
        server: srv,
        got,
        close: () =>
          new Promise<void>((r) => {
            srv.closeAllConnections();
            srv.close(() => r());
          }),
      }),
    );
  });
}

function verify(secret: string, r: Received): { type: string; id: string; data: Record<string, unknown> } {
  const sig = String(r.headers['portal-webhook-signature'] ?? '');
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(sig);
  assert.ok(m, `signature header: ${sig}`);
  const expected = createHmac('sha256', secret).update(`${m[1]}.${r.body}`).digest();
  assert.ok(timingSafeEqual(expected, Buffer.from(m[2]!, 'hex')), 'HMAC-SHA256 over "<t>.<body>" with the endpoint secret');
  assert.ok(Math.abs(Date.now() / 1000 - Number(m[1])) < 300, 'fresh timestamp');
  assert.equal(r.headers['portal-webhook-timestamp'], m[1]);
  assert.equal(r.headers['content-type'], 'application/json');
  const payload = JSON.parse(r.body) as { id: string; type: string; org: string; data: Record<string, unknown> };
  assert.equal(r.headers['portal-webhook-id'], payload.id);
  assert.equal(r.headers['portal-webhook-event'], payload.type);
  assert.equal(payload.org, ORG);
  return payload;
}

describe('signed webhooks', () => {
  test('endpoints need the admin key and a safe URL; the secret is shown once', async () => {
    assert.equal((await api.get(`v1/orgs/${ORG}/admin/webhooks`)).status, 401);
    assert.equal(errorCode(await api.post(`v1/orgs/${ORG}/admin/webhooks`, { url: 'http://crm.example.org/hook' }, KEY)), 'invalid_input');
    assert.equal(errorCode(await api.post(`v1/orgs/${ORG}/admin/webhooks`, { url: 'https://user:pw@crm.example.org/hook' }, KEY)), 'invalid_input');
    assert.equal(
      errorCode(await api.post(`v1/orgs/${ORG}/admin/webhooks`, { url: 'https://crm.example.org/hook', events: ['account.deleted'] }, KEY)),
      'invalid_input',
    );
    const made = await api.post(`v1/orgs/${ORG}/admin/webhooks`, { url: 'https://crm.example.org/hook', events: ['profile.updated'] }, KEY);
    assert.equal(made.status, 201, made.text);
    const ep = WebhookEndpointCreated.parse(made.body);
    assert.match(ep.secret, /^whsec_/);
    const list = WebhookEndpointList.parse((await api.get(`v1/orgs/${ORG}/admin/webhooks`, KEY)).body);
    assert.ok(list.endpoints.some((e) => e.id === ep.id));
    assert.ok(!JSON.stringify(list).includes(ep.secret), 'the list never shows the secret');
    assert.equal((await api.request('DELETE', `v1/orgs/${ORG}/admin/webhooks/${ep.id}`, { headers: KEY })).status, 204);
    assert.equal((await api.request('DELETE', `v1/orgs/${ORG}/admin/webhooks/${ep.id}`, { headers: KEY })).status, 404);
  });

  test('webhooks never reach into internal networks: private, link-local (cloud metadata) and rebinding hosts are refused', async () => {
    for (const url of [
      'https://169.254.169.254/latest/meta-data',
      'https://10.0.0.7/hook',
      'https://192.168.1.20/hook',
      'https://[fd00::1]/hook',
      'https://127.0.0.2/hook',
      'http://10.0.0.7/hook',
      'https://[::ffff:169.254.169.254]/x',
    ]) {
      const r = await api.post(`v1/orgs/${ORG}/admin/webhooks`, { url }, KEY);
      assert.equal(r.status, 400, `${url}: ${r.text}`);
      assert.equal(errorCode(r), 'invalid_input');
    }
    // A name that resolves to an internal address (this machine's own name) is refused when it is
    // delivered to: DNS can change after the check.
    const port = await freePort();
    const crm = await receiver(port);
    const made = WebhookEndpointCreated.parse(
      (await api.post(`v1/orgs/${ORG}/admin/webhooks`, { url: `https://${hostname()}:${port}/hook`, events: ['profile.updated'] }, KEY)).body,
    );
    try {
      const who = await api.newAccount();
      await api.request('PATCH', paths.me(ORG), { json: { phone: '+1 555 0100' }, headers: api.bearer(who.result.session.accessToken) });
      const d = await waitFor('a refused attempt', async () => {
        const list = WebhookDeliveryList.parse((await api.get(`v1/orgs/${ORG}/admin/webhooks/${made.id}/deliveries`, KEY)).body).deliveries;
        return list[0]?.lastError ? list[0] : undefined;
      });
      assert.match(d.lastError ?? '', /internal address/);
      assert.equal(crm.got.length, 0);
    } finally {
      await api.request('DELETE', `v1/orgs/${ORG}/admin/webhooks/${made.id}`, { headers: KEY });
      await crm.close();
    }
  });

  test('every event arrives signed, once, after the receiver was down (refused, then 500s)', async () => {
    const port = await freePort();
    const made = WebhookEndpointCreated.parse(
      (await api.post(`v1/orgs/${ORG}/admin/webhooks`, { url: `http://127.0.0.1:${port}/crm/hook` }, KEY)).body,
    );
    try {
      // Nothing listens yet: account.created + constituent.created for a new person...
      const fresh = await api.newAccount({ firstName: 'Webb', lastName: 'Hook' });
      // ...account.created + account.linked for a seeded record (Maria Garcia), profile.updated, and a merge.
      const maria = await api.newAccount({ firstName: 'Maria', lastName: 'Garcia', email: 'maria.garcia@example.org' });
      assert.equal(maria.result.outcome, 'linked');
      const patched = await api.request('PATCH', paths.me(ORG), {
        json: { phone: '+1 555 0199' },
        headers: api.bearer(fresh.result.session.accessToken),
      });
      assert.equal(patched.status, 200, patched.text);
      const a = await server.db
        .insertInto('constituents')
        .values({
          org_id: (await server.db.selectFrom('orgs').select('id').where('slug', '=', ORG).executeTakeFirstOrThrow()).id,
          kind: 'individual',
          first_name: 'Old',
          last_name: 'Copy',
          company_name: null,
          email: 'old.copy@example.test',
          email_norm: 'old.copy@example.test',
          phone: null,
          address_line1: null,
          address_line2: null,
          city: null,
          region: null,
          postal_code: null,
          country: null,
          merged_into: null,
          source: 'test',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const merged = await api.post(`v1/orgs/${ORG}/admin/merge`, { sourceId: a.id, targetId: fresh.result.profile.constituent.id }, KEY);
      assert.equal(merged.status, 200, merged.text);
      // Refused connections are retried...
      await waitFor('two failed attempts', async () => {
        const d = WebhookDeliveryList.parse((await api.get(`v1/orgs/${ORG}/admin/webhooks/${made.id}/deliveries`, KEY)).body).deliveries;
        return d.length === 6 && d.every((x) => x.status === 'pending' && x.attempts >= 2 && x.lastError) ? d : undefined;
      });
      // ...and so are 500s; then everything arrives.
      const crm = await receiver(port, 3);
      try {
        await waitFor('six deliveries', async () => (crm.got.length >= 6 ? true : undefined));
        await new Promise((r) => setTimeout(r, 300));
        const events = crm.got.map((g) => verify(made.secret, g));
        assert.equal(events.length, 6, 'each event once');
        assert.equal(new Set(events.map((e) => e.id)).size, 6);
        const types = events.map((e) => e.type).sort();
        assert.deepEqual(types, [
          'account.created',
          'account.created',
          'account.linked',
          'constituent.created',
          'constituents.merged',
          'profile.updated',
        ]);
        const linked = events.find((e) => e.type === 'account.linked')!;
        assert.equal(linked.data.accountId, maria.result.profile.accountId);
        assert.equal((linked.data.constituent as { id: string }).id, maria.result.profile.constituent.id);
        const profile = events.find((e) => e.type === 'profile.updated')!;
        assert.equal((profile.data.constituent as { phone: string }).phone, '+1 555 0199');
        const merge = events.find((e) => e.type === 'constituents.merged')!;
        assert.equal(merge.data.sourceId, a.id);
        const d = WebhookDeliveryList.parse((await api.get(`v1/orgs/${ORG}/admin/webhooks/${made.id}/deliveries`, KEY)).body).deliveries;
        assert.ok(d.every((x) => x.status === 'delivered' && x.deliveredAt));
      } finally {
        await crm.close();
      }
    } finally {
      await api.request('DELETE', `v1/orgs/${ORG}/admin/webhooks/${made.id}`, { headers: KEY });
    }
  });

  test('an endpoint only gets the events it asked for, and a change that rolls back sends nothing', async () => {
    const port = await freePort();
    const crm = await receiver(port);
    const made = WebhookEndpointCreated.parse(
      (await api.post(`v1/orgs/${ORG}/admin/webhooks`, { url: `http://127.0.0.1:${port}/h`, events: ['profile.updated'] }, KEY)).body,
    );
    try {
      const who = await api.newAccount();
      // A profile change that fails validation changes nothing and announces nothing.
      const bad = await api.request('PATCH', paths.me(ORG), { json: { firstName: '' }, headers: api.bearer(who.result.session.accessToken) });
      assert.equal(bad.status, 400);
      await api.request('PATCH', paths.me(ORG), { json: { address: { city: 'Lyon' } }, headers: api.bearer(who.result.session.accessToken) });
      await waitFor('one delivery', async () => (crm.got.length >= 1 ? true : undefined));
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(
        crm.got.map((g) => verify(made.secret, g).type),
        ['profile.updated'],
      );
    } finally {
      await api.request('DELETE', `v1/orgs/${ORG}/admin/webhooks/${made.id}`, { headers: KEY });
      await crm.close();
    }
  });
});

describe('webhook delivery pins the address it checked (DNS rebinding)', () => {
  // A made-up name whose resolver answers as a rebinding attacker's DNS would: a public address
  // first, then this machine. Checking with one lookup and connecting after a second one would reach
  // the loopback receiver; the delivery must connect only through the lookup it checked.
  let hooked: RunningServer;
  let hookApi: Client;
  let calls = 0;
  let answer: (n: number) => string[] = () => ['203.0.113.10'];
  before(async () => {
    hooked = await startTestServer({
      webhookPollMs: 50,
      webhookBackoffSeconds: 0.05,
      webhookTimeoutMs: 300,
      // Two attempts, then `failed`: the count of lookups is final once the second is recorded.
      webhookMaxAttempts: 2,
      webhookResolve: (_host, _opts, callback) => {
        calls += 1;
        callback(
          null,
          answer(calls).map((address) => ({ address, family: 4 })),
        );
      },
    });
    hookApi = new Client(hooked.url);
  });
  after(() => hooked.close());

  const attempt = async (addresses: (n: number) => string[], attempts: number) => {
    calls = 0;
    answer = addresses;
    const port = await freePort();
    const crm = await receiver(port);
    let connections = 0;
    crm.server.on('connection', () => (connections += 1));
    const made = WebhookEndpointCreated.parse(
      (await hookApi.post(`v1/orgs/${ORG}/admin/webhooks`, { url: `https://crm.rebind.test:${port}/hook`, events: ['account.created'] }, KEY)).body,
    );
    try {
      await hookApi.newAccount();
      const d = await waitFor(`${attempts} attempts`, async () => {
        const list = WebhookDeliveryList.parse((await hookApi.get(`v1/orgs/${ORG}/admin/webhooks/${made.id}/deliveries`, KEY)).body).deliveries;
        return list[0] && list[0].attempts >= attempts ? list[0] : undefined;
      });
      return { d, connections, calls };
    } finally {
      await hookApi.request('DELETE', `v1/orgs/${ORG}/admin/webhooks/${made.id}`, { headers: KEY });
      await crm.close();
    }
  };

  test('a name that answers public, then internal, never reaches the internal address; one lookup per attempt', async () => {
    const r = await attempt((n) => (n === 1 ? ['203.0.113.10'] : ['127.0.0.1']), 2);
    assert.equal(r.connections, 0, 'the loopback receiver was never connected to');
    assert.match(r.d.lastError ?? '', /internal address/);
    assert.equal(r.calls, r.d.attempts, 'each attempt resolved once and connected through that answer');
  });

  test('one internal address among public ones refuses the delivery', async () => {
    const r = await attempt(() => ['203.0.113.10', '127.0.0.1'], 1);
    assert.equal(r.connections, 0);
    assert.match(r.d.lastError ?? '', /internal address/);
  });
});

describe('audit log API', () => {
  test('newest first, filtered by action, paged by id; admin key required', async () => {
    assert.equal((await api.get(`v1/orgs/${ORG}/admin/audit`)).status, 401);
    await api.newAccount();
    await api.newAccount();
    const all = AuditList.parse((await api.get(`v1/orgs/${ORG}/admin/audit?action=account.created&limit=1`, KEY)).body);
    assert.equal(all.entries.length, 1);
    assert.equal(all.entries[0]!.action, 'account.created');
    assert.ok(all.nextBefore);
    const next = AuditList.parse((await api.get(`v1/orgs/${ORG}/admin/audit?action=account.created&limit=1&before=${all.nextBefore}`, KEY)).body);
    assert.ok(BigInt(next.entries[0]!.id) < BigInt(all.entries[0]!.id));
    assert.equal(errorCode(await api.get(`v1/orgs/${ORG}/admin/audit?before=1;drop`, KEY)), 'invalid_input');
    assert.ok(!JSON.stringify(all).match(/password|token/i));
  });
});

describe('staff tools', () => {
  test('list and find accounts; block stops sign-in and ends sessions; unblock restores sign-in', async () => {
    const who = await api.newAccount({ firstName: 'Blocky', lastName: 'McBlock' });
    const list = AccountList.parse((await api.get(`v1/orgs/${ORG}/admin/accounts?q=${encodeURIComponent(who.email)}`, KEY)).body);
    assert.equal(list.total, 1);
    const acc = list.accounts[0]!;
    assert.equal(acc.email, who.email);
    assert.equal(acc.blocked, false);
    assert.equal(acc.activeSessions, 1);
    assert.ok(!JSON.stringify(list).includes('argon2'), 'no password hash');

    const blocked = AccountResult.parse((await api.post(`v1/orgs/${ORG}/admin/accounts/${acc.id}/block`, {}, KEY)).body).account;
    assert.equal(blocked.blocked, true);
    assert.equal(blocked.activeSessions, 0);
    assert.equal(errorCode(await api.me(who.result.session.accessToken)), 'unauthorized');
    assert.equal(errorCode(await api.refresh(who.result.session.refreshToken)), 'unauthorized');
    assert.equal(errorCode(await api.signIn(who.email, who.password)), 'invalid_credentials');
    const onlyBlocked = AccountList.parse((await api.get(`v1/orgs/${ORG}/admin/accounts?status=blocked`, KEY)).body);
    assert.ok(onlyBlocked.accounts.some((a) => a.id === acc.id) && onlyBlocked.accounts.every((a) => a.blocked));

    AccountResult.parse((await api.post(`v1/orgs/${ORG}/admin/accounts/${acc.id}/unblock`, {}, KEY)).body);
    authResult(await api.signIn(who.email, who.password));

    const activity = AccountActivity.parse((await api.get(`v1/orgs/${ORG}/admin/accounts/${acc.id}/activity`, KEY)).body);
    assert.ok(activity.sessions.some((s) => s.revokedReason === 'blocked'));
    const actions = activity.events.map((e) => e.action);
    for (const a of ['account.created', 'account.blocked', 'account.unblocked']) assert.ok(actions.includes(a), `${a} in ${actions.join(',')}`);
    assert.equal((await api.get(`v1/orgs/${ORG}/admin/accounts/${acc.id}/activity`)).status, 401);
    assert.equal((await api.post(`v1/orgs/${ORG}/admin/accounts/00000000-0000-4000-8000-000000000000/block`, {}, KEY)).status, 404);
    assert.equal((await api.post(`v1/orgs/${ORG}/admin/accounts/not-a-uuid/block`, {}, KEY)).status, 404);
  });

  test("unlink: a wrongly matched account moves to a record of its own and no longer sees the other's membership", async () => {
    const tom = await api.newAccount({ firstName: 'Tom', lastName: 'Baker', email: 'tom.baker@example.org' });
    assert.equal(tom.result.outcome, 'linked');
    const before = tom.result.profile;
    assert.ok(before.memberships.length > 0, 'the seeded record has a membership');
    const unlinked = AccountResult.parse((await api.post(`v1/orgs/${ORG}/admin/accounts/${before.accountId}/unlink`, {}, KEY)).body).account;
    assert.notEqual(unlinked.constituentId, before.constituent.id);
    assert.equal(errorCode(await api.me(tom.result.session.accessToken)), 'unauthorized', 'sessions end');
    const again = authResult(await api.signIn(tom.email, tom.password));
    assert.equal(again.profile.constituent.id, unlinked.constituentId);
    assert.deepEqual(again.profile.memberships, []);
    const audit = AuditList.parse((await api.get(`v1/orgs/${ORG}/admin/audit?action=account.unlinked&subjectId=${before.accountId}`, KEY)).body);
    assert.equal(audit.entries[0]!.details.from, before.constituent.id);
  });
});
