/**
 * A slow statement holds only what waits for the database (issue 15: PGlite p99). PGlite runs
 * PostgreSQL as WebAssembly, synchronously; on the main thread a 0.5 s statement stopped the whole
 * process for 0.5 s, the HTTP server's event loop included, so under load some connections waited
 * far longer than others. It runs on a thread of its own now (server/db/pglite-thread.ts). The same
 * holds on PostgreSQL, where the statement runs in its own backend.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { paths } from '../../src/api/contract.ts';
import { ORG, serverForFile } from './helpers.ts';

const { server, api } = await serverForFile();

test('while a 0.5 s statement runs, timers fire and answers that need no query go out', async () => {
  // The org row is cached after the first request, so a preflight then runs no query.
  assert.equal((await api.get(paths.portal(ORG))).status, 200);
  const started = performance.now();
  const slow = sql`SELECT pg_sleep(0.5)`.execute(server.db);
  await new Promise((resolve) => setTimeout(resolve, 10));
  const timer = performance.now() - started;
  const health = await api.get('healthz');
  const preflight = await api.request('OPTIONS', paths.sessions(ORG), {
    headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
  const answered = performance.now() - started;
  await slow;
  const done = performance.now() - started;
  assert.equal(health.status, 200);
  assert.equal(preflight.status, 204);
  assert.ok(done >= 490, `the statement took its 0.5 s (${done.toFixed(0)} ms)`);
  assert.ok(timer < 250, `a 10 ms timer fired after ${timer.toFixed(0)} ms`);
  assert.ok(answered < 300, `/healthz and a preflight answered ${answered.toFixed(0)} ms after the statement began`);
});
