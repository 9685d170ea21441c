/** server/main.ts: the one ready line, a clean exit on SIGTERM, a loud failure on a bad database. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { pgliteCopy } from '../../scripts/lib/pglite-template.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', DATABASE_SCHEMA: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, out: () => stdout, err: () => stderr };
}

test('prints exactly one ready line, serves, and exits 0 on SIGTERM', async () => {
  // Development, explicitly: the demo org answers (production, the default, has no demo data).
  const p = run({ PORT: '0', DATA_DIR: 'memory', NODE_ENV: 'development' });
  // A generous wait for the ready line (a loaded machine starts PGlite slowly); the child never outlives the test.
  const deadline = Date.now() + 120_000;
  while (!p.out().includes('\n') && Date.now() < deadline && p.child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  if (!p.out().includes('\n')) p.child.kill('SIGKILL');
  const line = p.out().trim();
  assert.match(line, /^portal API listening on http:\/\/127\.0\.0\.1:\d+$/, p.err());
  const url = line.slice('portal API listening on '.length);
  const r = await fetch(`${url}/v1/orgs/riverside-arts/portal`);
  assert.equal(r.status, 200);
  const exited = once(p.child, 'exit');
  p.child.kill('SIGTERM');
  const [code] = await exited;
  assert.equal(code, 0);
  assert.equal(p.out().trim().split('\n').length, 1, 'exactly one stdout line');
});

test('an unreachable DATABASE_URL fails loudly', async () => {
  const p = run({ PORT: '0', DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
  const [code] = await once(p.child, 'exit');
  assert.notEqual(code, 0);
  assert.match(p.err(), /Cannot connect to DATABASE_URL/);
});

test('HOST=::1: the ready line is a usable URL (IPv6 in brackets)', async () => {
  // A copy of the migrated test template (the ready-line test above covers DATA_DIR=memory).
  const copy = await pgliteCopy();
  const p = run({ PORT: '0', DATA_DIR: copy.dir, HOST: '::1' });
  try {
    const deadline = Date.now() + 120_000;
    while (!p.out().includes('\n') && Date.now() < deadline && p.child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    const line = p.out().trim();
    assert.match(line, /^portal API listening on http:\/\/\[::1\]:\d+$/, p.err());
    const r = await fetch(`${line.slice('portal API listening on '.length)}/healthz`);
    assert.equal(r.status, 200);
  } finally {
    if (p.child.exitCode === null && p.child.signalCode === null) {
      const exited = once(p.child, 'exit');
      p.child.kill('SIGTERM');
      await exited;
    }
    copy.remove();
  }
});
