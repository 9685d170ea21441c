/**
 * Issue 9, item 6: production is the default. A server started without saying otherwise — through
 * `startServer()` or the CLI without NODE_ENV — has no /dev routes, no captured mail, no documented
 * development admin key and no demo orgs or people. Development is opted into explicitly
 * (NODE_ENV=development, or `production: false`), as the demo and the tests do.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { paths } from '../../src/api/contract.ts';
import { startServer } from '../../server/index.ts';
import { startApi } from '../../scripts/lib/proc.ts';
import { pgliteCopy } from '../../scripts/lib/pglite-template.mjs';
import { ORG } from './helpers.ts';

const DEV_KEY = { authorization: 'Bearer dev-admin-key-riverside-arts' };

describe('production is the default', () => {
  test('startServer() with no mode: no /dev routes, no demo seed, no development key', async () => {
    // A fresh migrated database (a copy of the test template: `memory` would run initdb, ~5 s of CPU).
    const copy = await pgliteCopy();
    const server = await startServer({ port: 0, dataDir: copy.dir });
    try {
      for (const path of ['dev/outbox', `dev/orgs/${ORG}/fixtures`]) {
        const r = await fetch(`${server.url}/${path}`, {
          method: path.endsWith('fixtures') ? 'POST' : 'GET',
          headers: { 'content-type': 'application/json' },
          body: path.endsWith('fixtures') ? '{}' : undefined,
        });
        assert.equal(r.status, 404, path);
        await r.arrayBuffer();
      }
      assert.equal((await fetch(`${server.url}/${paths.portal(ORG)}`)).status, 404, 'no demo org');
      const people = await server.db.selectFrom('constituents').select('id').execute();
      assert.equal(people.length, 0, 'no demo people');
      const orgs = await server.db.selectFrom('orgs').select('slug').execute();
      assert.deepEqual(orgs, []);
      const openapi = (await (await fetch(`${server.url}/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
      assert.ok(!Object.keys(openapi.paths).some((p) => p.startsWith('/dev')), 'no /dev in the published API');
    } finally {
      await server.close();
      copy.remove();
    }
  });

  test('the CLI without NODE_ENV is production; NODE_ENV=development opts in', async () => {
    const [prodDb, devDb] = await Promise.all([pgliteCopy(), pgliteCopy()]);
    const prod = await startApi({ PORT: '0', DATA_DIR: prodDb.dir, DATABASE_URL: '', NODE_ENV: '' });
    try {
      assert.equal((await fetch(`${prod.url}/dev/outbox`)).status, 404);
      assert.equal((await fetch(`${prod.url}/${paths.portal(ORG)}`)).status, 404);
      assert.match(prod.stderr() + '', /SMTP/, 'says that mail stays queued without SMTP');
    } finally {
      await prod.stop();
      prodDb.remove();
    }
    const dev = await startApi({ PORT: '0', DATA_DIR: devDb.dir, DATABASE_URL: '', NODE_ENV: 'development' });
    try {
      assert.equal((await fetch(`${dev.url}/dev/outbox`)).status, 200);
      assert.equal((await fetch(`${dev.url}/${paths.portal(ORG)}`)).status, 200);
      assert.equal((await fetch(`${dev.url}/v1/orgs/${ORG}/admin/constituents`, { headers: DEV_KEY })).status, 200);
    } finally {
      await dev.stop();
      devDb.remove();
    }
  });
});
