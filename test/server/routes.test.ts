/**
 * One route table (src/api/routes.ts + src/api/admin.ts) for the server, its OpenAPI document and the
 * client's paths: the server serves exactly the routes in the table (no more, no fewer), OpenAPI
 * describes each with its method, and the client's paths are the table's.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ADMIN_ROUTES } from '../../src/api/admin.ts';
import { paths } from '../../src/api/contract.ts';
import { ROUTES, pathFor } from '../../src/api/routes.ts';
import { createApp, type AppConfig } from '../../server/app.ts';
import type { RunningServer } from '../../server/index.ts';
import { Client, startTestServer } from './helpers.ts';

let server: RunningServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

const TABLE = [...Object.values(ROUTES), ...Object.values(ADMIN_ROUTES)];
const key = (method: string, path: string) => `${method} ${path}`;

function served(production: boolean): Set<string> {
  const config = {
    production,
    tokenSecret: 'x'.repeat(32),
    rateLimits: null,
    refreshGraceSeconds: 10,
    accessTokenSeconds: 300,
    publicUrl: () => 'http://127.0.0.1',
  } as unknown as AppConfig;
  const app = createApp({ db: server.db, config });
  // Middleware is registered for every method ('ALL'); handlers carry their method.
  return new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => key(r.method, r.path.replace(/:(\w+)/g, '{$1}'))));
}

test('the server serves exactly the routes of the table (development: with /dev)', () => {
  const table = new Set(TABLE.map((r) => key(r.method, r.path)));
  const dev = served(false);
  assert.deepEqual(
    [...dev].filter((r) => !table.has(r)),
    [],
    'served but not in the table',
  );
  assert.deepEqual(
    [...table].filter((r) => !dev.has(r)),
    [],
    'in the table but not served',
  );
});

test('production serves the table without the development routes', () => {
  const table = new Set(TABLE.filter((r) => r.auth !== 'dev').map((r) => key(r.method, r.path)));
  assert.deepEqual([...served(true)].sort(), [...table].sort());
});

test('OpenAPI describes every route of the table with its method, auth and schemas', async () => {
  const doc = (await new Client(server.url).get('v1/openapi.json')).body as {
    paths: Record<string, Record<string, { security?: unknown[]; requestBody?: unknown; responses: Record<string, unknown> }>>;
    components: { schemas: Record<string, unknown> };
  };
  for (const r of TABLE) {
    const op = doc.paths[r.path]?.[r.method.toLowerCase()];
    assert.ok(op, `${r.method} ${r.path}`);
    assert.equal(Boolean(op.security), r.auth === 'session' || r.auth === 'admin', `${r.path} security`);
    if ('request' in r) assert.ok(op.requestBody && doc.components.schemas[r.request], `${r.path} request ${r.request}`);
    if ('response' in r) assert.ok(doc.components.schemas[r.response], `${r.path} response ${r.response}`);
    assert.ok(op.responses[String('status' in r ? r.status : 200)], `${r.path} status`);
  }
});

test("the client's paths are the table's", () => {
  for (const [name, route] of Object.entries(ROUTES)) {
    assert.equal(
      (paths as Record<string, (org?: string, p?: Record<string, string>) => string>)[name]!('acme', { token: 't', id: 'i' }),
      pathFor(route, { org: 'acme', token: 't', id: 'i' }),
    );
  }
  assert.equal(paths.signup('acme'), 'v1/orgs/acme/signup');
  assert.equal(paths.devOutbox(), 'dev/outbox');
});
