/**
 * Development-only routes (mounted only when production is off — DESIGN §3): the captured mailbox
 * (`GET /dev/outbox`) and fixtures. Answer pages on localhost / 127.0.0.1 only.
 */
import { Hono } from 'hono';
import { createFixture, FixtureRequest } from '../domain/fixtures.ts';
import { findOrg } from '../domain/orgs.ts';
import { listOutbox } from '../domain/outbox.ts';
import { ApiError } from '../errors.ts';
import type { AppDeps, Env } from '../types.ts';
import { readJson } from './http.ts';

const DEV_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1)(:\d{1,5})?$/;

export function devRoutes(deps: AppDeps): Hono<Env> {
  const { db } = deps;
  const app = new Hono<Env>();

  app.use('*', async (c, next) => {
    c.header('Vary', 'Origin');
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      if (!DEV_ORIGIN.test(origin)) throw new ApiError('origin_not_allowed');
      c.header('Access-Control-Allow-Origin', origin);
    }
    if (c.req.method === 'OPTIONS') {
      c.header('Access-Control-Allow-Methods', 'GET, POST, PATCH, DELETE');
      c.header('Access-Control-Allow-Headers', 'content-type, authorization');
      return c.body(null, 204);
    }
    await next();
  });

  // The mailbox shows what the answers already sent promised: the work they left for after (after-answer.ts) first.
  app.get('/outbox', async (c) => {
    await deps.afterAnswer?.idle();
    return c.json(await listOutbox(db, c.req.query('to')));
  });

  app.post('/orgs/:org/fixtures', async (c) => {
    const org = await findOrg(db, c.req.param('org'));
    if (!org) throw new ApiError('not_found');
    const body = await readJson(c, FixtureRequest);
    return c.json(await createFixture(db, org, body), 201);
  });

  return app;
}
