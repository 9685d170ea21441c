/**
 * Issue 15: the per-org middleware keeps each org row in memory for ORG_CACHE_TTL_MS, so a request or
 * a preflight does not read it again. A change made through this process's org functions (the admin
 * API, the CLI's domain calls) is seen at once; one written behind its back — as another process
 * would — within the TTL; admin API keys are always checked against the stored row.
 * (Two real processes and the CLI: multiprocess.postgres.test.ts.)
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PortalInfo, paths } from '../../src/api/contract.ts';
import { ORG_CACHE_TTL_MS, changeOrigins, setAdminKey, updateOrg } from '../../server/domain/orgs.ts';
import { ORG, errorCode, waitFor, serverForFile } from './helpers.ts';

const KEY = 'org-cache-admin-key-0123456789';
const admin = { authorization: `Bearer ${KEY}` };
const LATE = 'https://late-origin.example.test';

const { server, api } = await serverForFile({ adminApiKeys: { [ORG]: KEY } });

const portal = (origin?: string) => api.get(paths.portal(ORG), origin ? { origin } : undefined);
const nameNow = async () => PortalInfo.parse((await portal()).body).name;

describe('org cache', () => {
  test('an allowlist or org change made through this process is seen at once', async () => {
    assert.equal(errorCode(await portal(LATE)), 'origin_not_allowed', 'the row is cached now');
    await changeOrigins(server.db, ORG, 'add', [LATE]);
    const allowed = await portal(LATE);
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), LATE);
    const preflight = await api.request('OPTIONS', paths.sessions(ORG), { headers: { origin: LATE, 'access-control-request-method': 'POST' } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), LATE);
    await changeOrigins(server.db, ORG, 'remove', [LATE]);
    assert.equal(errorCode(await portal(LATE)), 'origin_not_allowed', 'removed: refused at once');
    const preflightAfter = await api.request('OPTIONS', paths.sessions(ORG), { headers: { origin: LATE, 'access-control-request-method': 'POST' } });
    assert.equal(preflightAfter.status, 403);

    const before = await nameNow();
    await updateOrg(server.db, ORG, { name: 'Renamed At Once' });
    try {
      assert.equal(await nameNow(), 'Renamed At Once');
    } finally {
      await updateOrg(server.db, ORG, { name: before });
    }
  });

  test(`a change written behind the process's back (as another process would) is seen within ${ORG_CACHE_TTL_MS} ms`, async () => {
    const before = await nameNow(); // cached now
    await server.db.updateTable('orgs').set({ name: 'Renamed Elsewhere' }).where('slug', '=', ORG).execute();
    const written = Date.now();
    try {
      assert.equal(await nameNow(), before, 'the cached row still answers: the org is not read on every request');
      await waitFor('the new name', async () => (await nameNow()) === 'Renamed Elsewhere', ORG_CACHE_TTL_MS + 2000);
      assert.ok(Date.now() - written <= ORG_CACHE_TTL_MS + 2000);
    } finally {
      await updateOrg(server.db, ORG, { name: before });
    }
  });

  test('an admin API key is checked against the stored org row, not the cached one', async () => {
    const confirmationPages = () => api.get(`v1/orgs/${ORG}/admin/confirmation-pages`, admin);
    assert.equal((await confirmationPages()).status, 200, 'the row is cached with the key');
    // Revoked behind the process's back (another process's `admin-key revoke --all`): refused at once.
    await server.db.updateTable('orgs').set({ api_key_hash: null }).where('slug', '=', ORG).execute();
    try {
      const r = await confirmationPages();
      assert.equal(r.status, 401);
      assert.equal(errorCode(r), 'unauthorized');
    } finally {
      await setAdminKey(server.db, ORG, KEY);
    }
    assert.equal((await confirmationPages()).status, 200);
  });

  test('an unknown org is not remembered: one created a moment later answers at once', async () => {
    const slug = `cache-new-${Date.now().toString(36)}`;
    assert.equal((await api.get(paths.portal(slug))).status, 404);
    await server.db
      .insertInto('orgs')
      .values({
        slug,
        name: 'Created Later',
        portal_url: 'https://portal.example.test/',
        tier: 'basic',
        modules: [],
        allowed_origins: [],
        primary_color: null,
        logo_url: null,
        api_key_hash: null,
      })
      .execute();
    assert.equal((await api.get(paths.portal(slug))).status, 200);
  });
});
