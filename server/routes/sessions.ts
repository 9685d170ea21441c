/** Session routes of one organization (mounted at `/v1/orgs/:org`): sign in, refresh, sign out (here or everywhere). */
import { Hono } from 'hono';
import { RefreshRequest, SignInRequest } from '../../src/api/contract.ts';
import { normalizeEmail } from '../domain/normalize.ts';
import { refreshSession, revokeSessions, signIn } from '../domain/sessions.ts';
import type { AppDeps, Env } from '../types.ts';
import { rateLimit, requireAuth, sessionSettings } from './guards.ts';
import { clientIp, readJson } from './http.ts';

export function sessionRoutes(deps: AppDeps): Hono<Env> {
  const { db, config } = deps;
  const app = new Hono<Env>();

  app.post('/sessions', async (c) => {
    const org = c.get('org');
    const body = await readJson(c, SignInRequest);
    const emailNorm = normalizeEmail(body.email);
    await rateLimit(deps, `signin:ip:${clientIp(c, config.trustProxy)}`, (l) => l.signInPerIp);
    await rateLimit(deps, `signin:email:${org.id}:${emailNorm}`, (l) => l.signInPerEmail);
    return c.json(await signIn(db, org, emailNorm, body.password, body.remember === true, c.get('origin'), sessionSettings(config)));
  });

  app.post('/sessions/refresh', async (c) => {
    const body = await readJson(c, RefreshRequest);
    await rateLimit(deps, `refresh:ip:${clientIp(c, config.trustProxy)}`, (l) => l.refreshPerIp);
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
