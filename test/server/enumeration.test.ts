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
import { paths } from '../../src/api/contract.ts';
import type { RunningServer } from '../../server/index.ts';
import { hashPassword, verifyPassword } from '../../server/domain/passwords.ts';
import { Client, ORG, startTestServer, uniqueEmail, type Reply } from './helpers.ts';

const TRIES = 7;

let server: RunningServer;
let api: Client;

before(async () => {
  server = await startTestServer();
  api = new Client(server.url);
});
after(async () => {
  await server?.close();
});

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
