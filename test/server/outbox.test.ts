/** The outbox dispatcher: SMTP delivery, retries with back-off, final failure, no double sends. */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { cleanUp, type RunningServer } from '../../server/index.ts';
import { OutboxDispatcher, enqueueEmail, smtpTransport, type MailTransport } from '../../server/outbox.ts';
import { startTestServer, uniqueEmail } from './helpers.ts';

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
    const transport: MailTransport = {
      async send() {
        calls += 1;
        if (calls <= 2) throw Object.assign(new Error('connect ECONNREFUSED password=hunter2'), { code: 'ECONNREFUSED' });
      },
    };
    const d = new OutboxDispatcher(server.db, { transport, backoffSeconds: 0, maxAttempts: 5 });
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

  test('backs off exponentially and gives up after maxAttempts', async () => {
    await drain();
    const failing: MailTransport = {
      async send() {
        throw new Error('down');
      },
    };
    const slow = new OutboxDispatcher(server.db, { transport: failing, backoffSeconds: 60, maxAttempts: 3 });
    const id = await enqueue(uniqueEmail('backoff'));
    await slow.runOnce();
    const r1 = await row(id);
    const delay = (r1.next_attempt_at.getTime() - Date.now()) / 1000;
    assert.ok(delay > 50 && delay <= 61, `first retry in ~60 s, got ${delay}`);
    assert.equal(await slow.runOnce(), 0, 'nothing is due yet');
    // Jump the clock: make it due, twice more.
    for (let i = 0; i < 2; i++) {
      await server.db.updateTable('outbox').set({ next_attempt_at: new Date(Date.now() - 1000) }).where('id', '=', id).execute();
      await slow.runOnce();
    }
    const r3 = await row(id);
    assert.equal(r3.attempts, 3);
    assert.equal(r3.status, 'failed');
  });

  test('two dispatchers never send one message twice', async () => {
    await drain();
    const sent = new Map<string, number>();
    const transport: MailTransport = {
      async send(msg) {
        await new Promise((r) => setTimeout(r, 2));
        sent.set(msg.to, (sent.get(msg.to) ?? 0) + 1);
      },
    };
    const ids = [];
    for (let i = 0; i < 30; i++) ids.push(await enqueue(uniqueEmail('pair')));
    const a = new OutboxDispatcher(server.db, { transport });
    const b = new OutboxDispatcher(server.db, { transport });
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

describe('SMTP transport (nodemailer)', () => {
  let smtp: Server;
  const received: string[] = [];

  before(async () => {
    // A minimal SMTP server: enough for nodemailer to deliver one message per connection.
    smtp = createServer((socket) => {
      let data = false;
      let buffer = '';
      socket.write('220 localhost ESMTP test\r\n');
      socket.on('data', (chunk) => {
        buffer += chunk.toString('utf8');
        let idx;
        while ((idx = buffer.indexOf('\r\n')) >= 0) {
          const line = buffer.slice(0, idx);
          buffer = buffer.slice(idx + 2);
          if (data) {
            if (line === '.') {
              data = false;
              socket.write('250 OK queued\r\n');
            } else received.push(line);
            continue;
          }
          const cmd = line.slice(0, 4).toUpperCase();
          if (cmd === 'EHLO' || cmd === 'HELO') socket.write('250 localhost\r\n');
          else if (cmd === 'DATA') {
            data = true;
            socket.write('354 go ahead\r\n');
          } else if (cmd === 'QUIT') socket.end('221 bye\r\n');
          else socket.write('250 OK\r\n');
        }
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  test('delivers the message over SMTP', async () => {
    await drain();
    const port = (smtp.address() as { port: number }).port;
    const transport = await smtpTransport(`smtp://127.0.0.1:${port}?ignoreTLS=true`, 'Portal <portal@example.test>');
    const d = new OutboxDispatcher(server.db, { transport });
    const to = uniqueEmail('smtp');
    const id = await enqueue(to);
    await d.runOnce();
    await d.stop();
    const r = await row(id);
    assert.equal(r.status, 'sent', String(r.last_error));
    assert.ok(received.some((l) => l.includes(to)), 'recipient in the message');
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
