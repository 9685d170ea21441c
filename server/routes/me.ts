/** The signed-in person (mounted at `/v1/orgs/:org`): `GET /me` (profile) and `PATCH /me` (personal info). */
import { Hono } from 'hono';
import { ProfilePatch } from '../../src/api/contract.ts';
import { updateProfile } from '../domain/accounts.ts';
import { liveSessionProfile } from '../domain/sessions.ts';
import { ApiError } from '../errors.ts';
import type { AppDeps, Env } from '../types.ts';
import { accessClaims, requireAuth } from './guards.ts';
import { readJson } from './http.ts';

export function meRoutes(deps: AppDeps): Hono<Env> {
  const { db } = deps;
  const app = new Hono<Env>();

  app.get('/me', async (c) => {
    // One statement: the session check (and its once-a-minute slide) and the whole profile (issue 15).
    const auth = accessClaims(c, deps);
    const profile = await liveSessionProfile(db, c.get('org'), auth.sessionId, auth.accountId);
    if (!profile) throw new ApiError('unauthorized');
    return c.json(profile);
  });

  app.patch('/me', async (c) => {
    const auth = await requireAuth(c, deps);
    const patch = await readJson(c, ProfilePatch);
    return c.json(await updateProfile(db, c.get('org'), auth.accountId, patch));
  });

  return app;
}
