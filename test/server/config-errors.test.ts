/**
 * What the elements' configuration check (src/internal/config-check.ts) relies on: an unknown
 * organization's 404 is readable from any page (so a wrong slug is reported as one), while a refused
 * origin's 403 stays unreadable to it (http.test.ts) and the CORS-open OpenAPI document says the API is up.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { paths } from '../../src/api/contract.ts';
import { ORG, serverForFile } from './helpers.ts';

const { api } = await serverForFile();

describe('answers the configuration check reads', () => {
  test('an unknown org slug: 404 not_found, readable cross-origin', async () => {
    const r = await api.get(paths.portal('riverside-artz'), { origin: 'https://agency.example' });
    assert.equal(r.status, 404);
    assert.deepEqual((r.body as { error: { code: string } }).error.code, 'not_found');
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    assert.equal(r.headers.get('access-control-allow-credentials'), null);
  });

  test('a known org, refused origin: 403 and still no CORS header', async () => {
    const r = await api.get(paths.portal(ORG), { origin: 'https://agency.example' });
    assert.equal(r.status, 403);
    assert.equal(r.headers.get('access-control-allow-origin'), null);
  });

  test('the OpenAPI document answers any origin', async () => {
    const r = await api.get('v1/openapi.json', { origin: 'https://agency.example' });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
  });
});
