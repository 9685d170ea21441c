/**
 * Account enumeration (DESIGN §5): sign-up, resend, reset and sign-in answer a known and an unknown
 * email with the same status, body and headers, and with similar timing.
 *
 * Not a flaky stopwatch test: it compares medians of several interleaved tries with a generous
 * bound, and for sign-in asserts the unknown-email path does the same argon2 work (both medians are
 * above the argon2 floor, i.e. the unknown email is verified against a dummy hash).
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { paths } from '../../src/api/contract.ts';
import { hashPassword, verifyPassword } from '../../server/domain/passwords.ts';
import { ORG, uniqueEmail, type Reply, serverForFile } from './helpers.ts';

const TRIES = 7;

const { server, api } = await serverForFile();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Interleaves known / unknown tries (so drift hits both alike); returns replies and median ms. With
 * `alongside`, each round also times that step (median in `alongside`), in the same interleaving.
 */
async function compare(run: (known: boolean, i: number) => Promise<Reply>, alongside?: () => Promise<unknown>) {
  const times = { known: [] as number[], unknown: [] as number[], alongside: [] as number[] };
  const replies = { known: [] as Reply[], unknown: [] as Reply[] };
  await run(true, -1); // warm-up of both paths (JIT, connection pool, prepared plans)
  await run(false, -1);
  for (let i = 0; i < TRIES; i++) {
    if (alongside) {
      const t0 = performance.now();
      await alongside();
      times.alongside.push(performance.now() - t0);
    }
    for (const known of i % 2 ? [false, true] : [true, false]) {
      const t0 = performance.now();
      const r = await run(known, i);
      const ms = performance.now() - t0;
      (known ? times.known : times.unknown).push(ms);
      (known ? replies.known : replies.unknown).push(r);
    }
  }
  const result = { known: median(times.known), unknown: median(times.unknown), alongside: alongside ? median(times.alongside) : NaN, replies };
  console.log(
    `median ms: known ${result.known.toFixed(1)}, unknown ${result.unknown.toFixed(1)}${alongside ? `, alongside ${result.alongside.toFixed(1)}` : ''}`,
  );
  return result;
}

function assertSameAnswers(replies: { known: Reply[]; unknown: Reply[] }, what: string): void {
  const first = replies.known[0]!;
  for (const r of [...replies.known, ...replies.unknown]) {
    assert.equal(r.status, first.status, what);
    assert.equal(r.text, first.text, what);
    const keys = (x: Reply) => [...x.headers.keys()].filter((k) => k !== 'date').sort();
    assert.deepEqual(keys(r), keys(first), `${what}: same headers`);
  }
}

/** Within 3× of each other; for millisecond-scale answers, a small absolute slack instead. */
function assertSimilar(m: { known: number; unknown: number }, what: string, slackMs = 25): void {
  const [lo, hi] = [Math.min(m.known, m.unknown), Math.max(m.known, m.unknown)];
  assert.ok(hi <= 3 * lo || hi - lo <= slackMs, `${what}: median known ${m.known.toFixed(1)} ms vs unknown ${m.unknown.toFixed(1)} ms`);
}

// Only a known email writes a token and mail; an answer that waited for those writes would tell it
// from an unknown one by its timing (8–11 ms against 5 ms quiet, 76 against 9 ms on a busy machine).
// Here the mail write to these addresses takes 400 ms: the answers must not wait for it (on
// PGlite too, now that it runs on a thread of its own: server/db/pglite-thread.ts).
describe('resend and reset answer before they write', () => {
  before(async () => {
    await sql`CREATE FUNCTION slow_mail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.to_address LIKE 'slowmail.%' THEN PERFORM pg_sleep(0.4); END IF; RETURN NEW; END $$`.execute(server.db);
    await sql`CREATE TRIGGER slow_mail BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION slow_mail()`.execute(server.db);
  });
  after(async () => {
    await server.idle();
    await sql`DROP TRIGGER slow_mail ON outbox`.execute(server.db);
    await sql`DROP FUNCTION slow_mail()`.execute(server.db);
  });

  const timed = async (fn: () => Promise<Reply>) => {
    const t0 = performance.now();
    const reply = await fn();
    return { reply, ms: performance.now() - t0 };
  };

  test('resend: the 202 comes before the new confirmation is written, and the mail is there after', async () => {
    const email = uniqueEmail('slowmail');
    assert.equal((await api.signup({ firstName: 'Slow', lastName: 'Mail', email })).status, 202);
    await server.idle();
    const { reply, ms } = await timed(() => api.post(paths.signupResend(ORG), { email }));
    assert.equal(reply.status, 202);
    assert.ok(ms < 300, `resend answered in ${ms.toFixed(0)} ms, after a 400 ms write`);
    assert.equal((await api.outbox(email)).length, 2, 'the first confirmation and the resent one');
  });

  test('reset: the 202 comes before the reset link is written, and the mail is there after', async () => {
    const { email } = await api.newAccount({ email: uniqueEmail('slowmail') });
    const before = (await api.outbox(email)).length;
    const { reply, ms } = await timed(() => api.post(paths.passwordReset(ORG), { email }));
    assert.equal(reply.status, 202);
    assert.ok(ms < 300, `reset answered in ${ms.toFixed(0)} ms, after a 400 ms write`);
    assert.equal((await api.outbox(email)).length, before + 1, 'the reset link was mailed');
    assert.ok(await api.latestToken(email, 'reset'));
  });
});

describe('known and unknown emails are indistinguishable', () => {
  test('sign-in: same 401 body, and the unknown email pays the same argon2 verify', async () => {
    // The argon2 floor on this machine: one verify at the server's parameters, timed in the same
    // rounds as the sign-ins (a floor timed once, before them, met other load: under a busy machine
    // it came out above the sign-ins' own medians).
    const hash = await hashPassword('floor measurement password');
    const { email } = await api.newAccount();
    const m = await compare(
      (known) => api.signIn(known ? email : uniqueEmail('nobody'), 'wrong password 123'),
      () => verifyPassword(hash, 'not the password'),
    );
    const floor = m.alongside;
    assertSameAnswers(m.replies, 'sign-in');
    assert.equal(m.replies.known[0]!.status, 401);
    assert.ok(m.known >= 0.8 * floor, `known-email median ${m.known.toFixed(1)} ms ≥ argon2 floor ${floor.toFixed(1)} ms`);
    assert.ok(m.unknown >= 0.8 * floor, `unknown-email median ${m.unknown.toFixed(1)} ms ≥ argon2 floor ${floor.toFixed(1)} ms`);
    assert.ok(Math.max(m.known, m.unknown) <= 3 * Math.min(m.known, m.unknown), `sign-in medians ${m.known.toFixed(1)} / ${m.unknown.toFixed(1)} ms`);
  });

  test('sign-up: an email with an account answers like a new one', async () => {
    const { email } = await api.newAccount();
    const m = await compare((known) => api.signup({ firstName: 'Enu', lastName: 'Meration', email: known ? email : uniqueEmail('fresh') }));
    assertSameAnswers(m.replies, 'sign-up');
    assert.equal(m.replies.known[0]!.status, 202);
    assertSimilar(m, 'sign-up');
  });

  test('resend: an email with a pending sign-up answers like an unknown one', async () => {
    const pending = uniqueEmail('pending');
    assert.equal((await api.signup({ firstName: 'Pen', lastName: 'Ding', email: pending })).status, 202);
    const m = await compare((known) => api.post(paths.signupResend(ORG), { email: known ? pending : uniqueEmail('nobody') }));
    assertSameAnswers(m.replies, 'resend');
    assert.equal(m.replies.known[0]!.status, 202);
    assertSimilar(m, 'resend');
  });

  test('password reset: an account email answers like an unknown one', async () => {
    const { email } = await api.newAccount();
    const m = await compare((known) => api.post(paths.passwordReset(ORG), { email: known ? email : uniqueEmail('nobody') }));
    assertSameAnswers(m.replies, 'reset');
    assert.equal(m.replies.known[0]!.status, 202);
    assertSimilar(m, 'reset');
  });
});
