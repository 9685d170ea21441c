/**
 * The test APIs' embedded databases (scripts/lib/pglite-template.mjs): each is a copy of one migrated
 * PGlite directory instead of a fresh in-memory instance, so it must be what `memory` was — a whole
 * database of its own, migrated, that nothing else sees — and leave the template as it found it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../../server/index.ts';
import { pgliteCopy, pgliteTemplate } from '../../scripts/lib/pglite-template.mjs';
import { Client, errorCode, uniqueEmail } from './helpers.ts';

/** Every file of a directory with its size and modification time. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile())
    .map((f) => `${f} ${statSync(f).size} ${statSync(f).mtimeMs}`)
    .sort();
}

test('each copy is a migrated database of its own; the template is never written; a removed copy is gone', async () => {
  const template = await pgliteTemplate();
  const before = snapshot(template);
  const copies = [await pgliteCopy(), await pgliteCopy()];
  const servers = await Promise.all(
    copies.map((c) => startServer({ port: 0, dataDir: c.dir, production: false, rateLimits: false, outboxPollMs: 50 })),
  );
  try {
    const [a, b] = servers.map((s) => new Client(s.url));
    const email = uniqueEmail('copy');
    const { password } = await a!.newAccount({ email });
    assert.equal((await a!.signIn(email, password)).status, 200);
    // The other copy never saw that account.
    const elsewhere = await b!.signIn(email, password);
    assert.equal(elsewhere.status, 401);
    assert.equal(errorCode(elsewhere), 'invalid_credentials');
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
  for (const c of copies) c.remove();
  assert.deepEqual(
    copies.map((c) => existsSync(c.dir)),
    [false, false],
  );
  assert.deepEqual(snapshot(template), before);
});
