/**
 * The outbox dispatcher: SMTP delivery, retries with back-off, final failure, no double sends; SMS
 * through a pluggable transport (or the development mailbox; pending in production).
 */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { cleanUp, type RunningServer } from '../../server/index.ts';
import { OutboxDispatcher, enqueueEmail, smtpTransport, type Transport } from '../../server/domain/outbox.ts';
import { Client, ORG, startSmtpSink, startTestServer, uniqueEmail, waitFor, type SmtpSink } from './helpers.ts';

let server: RunningServer;

before(async () => {
  server = await startTestServer();
  await server.dispatcher.stop(); // these tests drive their own dispatchers
});
after(async () => {
  await server?.close();
});

async function enqueue(to: string): Promise<string> {
  await enqueueEmail(server.db, { orgId: null, to, template: 'test', content: { subject: `Hi ${to}`, text: 'Hello', html: '<p>Hello</p>' } });
  const row = await server.db.selectFrom('outbox').select('id').where('to_address', '=', to).orderBy('id', 'desc').executeTakeFirstOrThrow();
  return String(row.id);
}

async function row(id: string) {
  return server.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Drain everything else pending so each test sees only its own rows. */
async function drain(): Promise<void> {
  await server.db.updateTable('outbox').set({ status: 'sent' }).where('status', '=', 'pending').execute();
}

describe('outbox dispatcher', () => {
  test('retries after failures and then sends', async () => {
    await drain();
    let calls = 0;
    const transport: Transport = {
      name: 'smtp',
      async send() {
        calls += 1;
        if (calls <= 2) throw Object.assign(new Error('connect ECONNREFUSED password=hunter2'), { code: 'ECONNREFUSED' });
      },
    };
    const d = new OutboxDispatcher(server.db, { transports: { email: transport }, backoffSeconds: 0 });
    const id = await enqueue(uniqueEmail('retry'));
    await d.runOnce();
    let r = await row(id);
    assert.equal(r.status, 'pending');
    assert.equal(r.attempts, 1);
    assert.equal(r.last_error, 'ECONNREFUSED', 'only the error code is kept, never the message');
    await d.runOnce();
    await d.runOnce();
    r = await row(id);
    assert.equal(r.status, 'sent');
    assert.equal(r.attempts, 3);
    assert.equal(r.delivered_via, 'smtp');
    assert.equal(calls, 3);
  });

  test('backs off exponentially (capped) and keeps retrying a transport failure until the message expires', async () => {
    await drain();
    const failing: Transport = {
      name: 'smtp',
      async send() {
        throw new Error('down');
      },
    };
    const slow = new OutboxDispatcher(server.db, { transports: { email: failing }, backoffSeconds: 60, maxBackoffSeconds: 100 });
    const id = await enqueue(uniqueEmail('backoff'));
    await slow.runOnce();
    const r1 = await row(id);
    const delay = (r1.next_attempt_at.getTime() - Date.now()) / 1000;
    assert.ok(delay > 50 && delay <= 61, `first retry in ~60 s, got ${delay}`);
    assert.equal(await slow.runOnce(), 0, 'nothing is due yet');
    // Jump the clock: make it due, many more times (past the old give-up after 8 attempts).
    for (let i = 0; i < 11; i++) {
      await server.db
        .updateTable('outbox')
        .set({ next_attempt_at: new Date(Date.now() - 1000) })
        .where('id', '=', id)
        .execute();
      await slow.runOnce();
    }
    const r12 = await row(id);
    assert.equal(r12.attempts, 12);
    assert.equal(r12.status, 'pending', 'a transport failure is never final before the expiry');
    const capped = (r12.next_attempt_at.getTime() - Date.now()) / 1000;
    assert.ok(capped > 90 && capped <= 101, `back-off capped at 100 s, got ${capped}`);
    // Past its expiry it fails, unsent.
    await server.db
      .updateTable('outbox')
      .set({ expires_at: new Date(Date.now() - 1000), next_attempt_at: new Date(Date.now() - 1000) })
      .where('id', '=', id)
      .execute();
    await slow.runOnce();
    const expired = await row(id);
    assert.equal(expired.status, 'failed');
    assert.equal(expired.last_error, 'expired');
    assert.equal(expired.attempts, 12);
  });

  test('two dispatchers never send one message twice', async () => {
    await drain();
    const sent = new Map<string, number>();
    const transport: Transport = {
      name: 'smtp',
      async send(msg) {
        await new Promise((r) => setTimeout(r, 2));
        sent.set(msg.to, (sent.get(msg.to) ?? 0) + 1);
      },
    };
    const ids = [];
    for (let i = 0; i < 30; i++) ids.push(await enqueue(uniqueEmail('pair')));
    const a = new OutboxDispatcher(server.db, { transports: { email: transport } });
    const b = new OutboxDispatcher(server.db, { transports: { email: transport } });
    await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
    assert.equal(sent.size, 30);
    assert.ok([...sent.values()].every((n) => n === 1));
  });

  test('without SMTP, mail is marked sent into the development mailbox', async () => {
    const id = await enqueue(uniqueEmail('devbox'));
    await new OutboxDispatcher(server.db).runOnce();
    const r = await row(id);
    assert.equal(r.status, 'sent');
    assert.equal(r.delivered_via, 'dev-outbox');
  });
});

/** A fake SMS provider: records what it accepted; throws a network-style error while `down`. */
function fakeSms(name = 'fake-sms') {
  const sent: { to: string; subject: string | null; text: string; html: string | null }[] = [];
  const t = {
    name,
    down: false,
    calls: 0,
    closed: 0,
    sent,
    async send(msg: (typeof sent)[number]) {
      t.calls += 1;
      if (t.down) throw Object.assign(new Error('connect ETIMEDOUT api.sms.example token=secret'), { code: 'ETIMEDOUT' });
      sent.push(msg);
    },
    close() {
      t.closed += 1;
    },
  };
  return t satisfies Transport;
}

const SMS_MESSAGE = 'Hi {{firstName}} {{lastName}}: join {{orgName}} at {{portalUrl}}';

/** Invites a new constituent (a fresh phone number) by text; returns the phone and the outbox row id. */
async function inviteBySms(on: RunningServer, firstName: string): Promise<{ phone: string; id: string; expected: RegExp }> {
  const api = new Client(on.url);
  const phone = `+1 555 ${randomInt(1_000_000, 9_999_999)}`;
  const fixture = await api.post(`dev/orgs/${ORG}/fixtures`, { firstName, lastName: 'Texter', email: uniqueEmail('sms'), phone });
  assert.equal(fixture.status, 201, fixture.text);
  const { constituentId } = fixture.body as { constituentId: string };
  const r = await api.post(
    `v1/orgs/${ORG}/admin/invitations`,
    { constituentIds: [constituentId], channel: 'sms', message: SMS_MESSAGE },
    { authorization: 'Bearer dev-admin-key-riverside-arts' },
  );
  assert.equal(r.status, 201, r.text);
  const row = await on.db.selectFrom('outbox').select('id').where('to_address', '=', phone).executeTakeFirstOrThrow();
  // {{portalUrl}} is the tracked invitation link.
  const link = `${on.url}/v1/orgs/${ORG}/invitations/`.replace(/[.?]/g, '\\$&');
  return { phone, id: String(row.id), expected: new RegExp(`^Hi ${firstName} Texter: join Riverside Arts Association at ${link}[A-Za-z0-9_-]{43}$`) };
}

describe('SMS transport (pluggable)', () => {
  test('an SMS invitation through the SMS transport is delivered exactly once, merge fields filled', async () => {
    const sms = fakeSms();
    const own = await startTestServer({ smsTransport: sms }); // startServer wiring, dispatcher running
    try {
      const { phone, id, expected } = await inviteBySms(own, 'Sam');
      const r = await waitFor('the text sent', async () => {
        const r = await own.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
        return r.status === 'sent' ? r : undefined;
      });
      // More passes, and a second dispatcher on the same database: nothing goes twice.
      const other = new OutboxDispatcher(own.db, { transports: { sms } });
      await Promise.all([own.dispatcher.runOnce(), other.runOnce(), own.dispatcher.runOnce()]);
      assert.equal(sms.sent.length, 1);
      assert.deepEqual({ ...sms.sent[0], text: '' }, { to: phone, subject: null, text: '', html: null });
      assert.match(sms.sent[0]!.text, expected);
      assert.equal(sms.calls, 1);
      assert.equal(r.delivered_via, 'fake-sms');
      assert.equal(r.attempts, 1);
    } finally {
      await own.close();
    }
    assert.equal(sms.closed, 1, 'closed with the server');
  });

  test('a failing SMS transport leaves the text pending (attempts, back-off), then delivers when it recovers', async () => {
    await drain();
    const sms = fakeSms();
    sms.down = true;
    const d = new OutboxDispatcher(server.db, { transports: { sms }, backoffSeconds: 60 });
    const { id, expected } = await inviteBySms(server, 'Flaky');
    await d.runOnce();
    const failing = await row(id);
    assert.equal(failing.status, 'pending');
    assert.equal(failing.attempts, 1);
    assert.equal(failing.last_error, 'ETIMEDOUT', 'only the error code, never the message');
    assert.equal(failing.sent_at, null);
    const wait = (failing.next_attempt_at.getTime() - Date.now()) / 1000;
    assert.ok(wait > 50 && wait <= 61, `next attempt in ~60 s, got ${wait}`);
    assert.equal(await d.runOnce(), 0, 'nothing is due yet');

    sms.down = false; // the provider is back; jump the clock to the retry
    await server.db
      .updateTable('outbox')
      .set({ next_attempt_at: new Date(Date.now() - 1000) })
      .where('id', '=', id)
      .execute();
    await d.runOnce();
    await d.runOnce();
    const sent = await row(id);
    assert.equal(sent.status, 'sent');
    assert.equal(sent.attempts, 2);
    assert.equal(sent.delivered_via, 'fake-sms');
    assert.equal(sent.last_error, null);
    assert.equal(sms.calls, 2);
    assert.equal(sms.sent.length, 1);
    assert.match(sms.sent[0]!.text, expected);
  });

  test('without an SMS transport the text is readable at GET /dev/outbox (email still goes by its transport)', async () => {
    await drain();
    const email = fakeSms('smtp');
    const { phone, id, expected } = await inviteBySms(server, 'Devbox');
    await new OutboxDispatcher(server.db, { transports: { email } }).runOnce();
    const [msg] = await new Client(server.url).outbox(phone);
    assert.equal(msg?.channel, 'sms');
    assert.equal(msg.status, 'sent');
    assert.match(msg.text, expected);
    assert.equal((await row(id)).delivered_via, 'dev-outbox');
    assert.equal(email.calls, 0, 'the email transport never sees a text');
  });

  test('in production a channel without a transport stays pending (never marked sent)', async () => {
    await drain();
    const email = fakeSms('smtp');
    const { id } = await inviteBySms(server, 'Prod');
    const mailId = await enqueue(uniqueEmail('prod'));
    await new OutboxDispatcher(server.db, { transports: { email }, devOutbox: false }).runOnce();
    assert.equal((await row(mailId)).status, 'sent');
    const waiting = await row(id);
    assert.equal(waiting.status, 'pending');
    assert.equal(waiting.attempts, 0, 'not even claimed');
    assert.equal(waiting.delivered_via, null);
    assert.equal(await new OutboxDispatcher(server.db, { devOutbox: false }).runOnce(), 0, 'no transport at all: nothing claimed');
    // A process with an SMS transport sends it.
    const sms = fakeSms();
    await new OutboxDispatcher(server.db, { transports: { sms }, devOutbox: false }).runOnce();
    assert.equal((await row(id)).delivered_via, 'fake-sms');
    assert.equal(sms.sent.length, 1);
  });
});

describe('SMTP transport (nodemailer)', () => {
  let smtp: SmtpSink;

  before(async () => {
    smtp = await startSmtpSink();
  });
  after(async () => {
    await smtp.close();
  });

  test('delivers the message over SMTP', async () => {
    await drain();
    const transport = await smtpTransport(`smtp://127.0.0.1:${smtp.port}?ignoreTLS=true`, 'Portal <portal@example.test>');
    const d = new OutboxDispatcher(server.db, { transports: { email: transport } });
    const to = uniqueEmail('smtp');
    const id = await enqueue(to);
    await d.runOnce();
    await d.stop();
    const r = await row(id);
    assert.equal(r.status, 'sent', String(r.last_error));
    const received = smtp.messages.flatMap((m) => m.data.split('\n'));
    assert.ok(
      received.some((l) => l.includes(to)),
      'recipient in the message',
    );
    assert.ok(received.some((l) => /^Subject: Hi /.test(l)));
  });
});

describe('housekeeping', () => {
  test('stale rate-limit windows are deleted, fresh ones kept', async () => {
    await server.db
      .insertInto('rate_limits')
      .values([
        { key: 'test:old', window_start: new Date(Date.now() - 2 * 86_400_000), count: 3 },
        { key: 'test:new', window_start: new Date(), count: 1 },
      ])
      .execute();
    await cleanUp(server.db);
    const keys = (await server.db.selectFrom('rate_limits').select('key').where('key', 'like', 'test:%').execute()).map((r) => r.key);
    assert.deepEqual(keys, ['test:new']);
  });
});
