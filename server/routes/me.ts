/** The signed-in person (mounted at `/v1/orgs/:org`): `GET /me` (profile) and `PATCH /me` (personal info). */
import { Hono } from 'hono';
import { ProfilePatch } from '../../src/api/contract.ts';
import { buildProfile, updateProfile } from '../domain/accounts.ts';
import type { AppDeps, Env } from '../types.ts';
import { requireAuth } from './guards.ts';
import { readJson } from './http.ts';

export function meRoutes(deps: AppDeps): Hono<Env> {
  const { db } = deps;
  const app = new Hono<Env>();

  app.get('/me', async (c) => {
    // One connection for the session check and the profile's handful of reads (PGlite: one turn at
    // its single connection instead of one per query).
    const profile = await db.connection().execute(async (conn) => {
      const auth = await requireAuth(c, deps, conn);
      return buildProfile(conn, c.get('org'), auth.accountId);
    });
    return c.json(profile);
  });

  app.patch('/me', async (c) => {
    const auth = await requireAuth(c, deps);
    const patch = await readJson(c, ProfilePatch);
    return c.json(await updateProfile(db, c.get('org'), auth.accountId, patch));
  });

  return app;
}
