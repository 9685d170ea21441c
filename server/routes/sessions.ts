/** Session routes of one organization (mounted at `/v1/orgs/:org`): sign in, refresh, sign out (here or everywhere). */
import { Hono } from 'hono';
import { RefreshRequest, SignInRequest } from '../../src/api/contract.ts';
import { normalizeEmail } from '../domain/normalize.ts';
import { refreshSession, revokeSessions, signIn } from '../domain/sessions.ts';
import type { AppDeps, Env } from '../types.ts';
import { requireAuth, sessionSettings } from './guards.ts';
import { readJson } from './http.ts';
import { RouteLimits } from './limits.ts';

export function sessionRoutes(deps: AppDeps): Hono<Env> {
  const { db, config } = deps;
  const app = new Hono<Env>();
  const limits = new RouteLimits(deps);

  app.post('/sessions', async (c) => {
    const org = c.get('org');
    const body = await readJson(c, SignInRequest);
    const emailNorm = normalizeEmail(body.email);
    const result = await limits.signIn(c, body.email, (gate) =>
      signIn(db, org, emailNorm, body.password, body.remember === true, c.get('origin'), sessionSettings(config), gate),
    );
    return c.json(result);
  });

  app.post('/sessions/refresh', async (c) => {
    const body = await readJson(c, RefreshRequest);
    // No rate limit: a refresh needs a valid refresh token, and a guest reloading on a busy venue
    // network must not be shown signed out (issue 9 item 4).
    return c.json(await refreshSession(db, c.get('org'), body.refreshToken, c.get('origin'), sessionSettings(config)));
  });

  app.delete('/sessions/current', async (c) => {
    const auth = await requireAuth(c, deps);
    await revokeSessions(db, { sessionId: auth.sessionId }, 'sign_out');
    return c.body(null, 204);
  });

  /** Sign out everywhere: every session of this account. */
  app.delete('/sessions', async (c) => {
    const auth = await requireAuth(c, deps);
    await revokeSessions(db, { accountId: auth.accountId }, 'sign_out_everywhere');
    return c.body(null, 204);
  });

  return app;
}
