/**
 * Operations (DESIGN §3): `GET /healthz` — the process is up (no database call; for liveness
 * probes); `GET /readyz` — 200 when the database answers and its schema is current, else 503, with
 * the outbox and webhook backlogs; 503 too once shutdown has begun, so a load balancer drains it.
 */
import { Hono } from 'hono';
import { readiness } from '../domain/health.ts';
import type { AppDeps, Env } from '../types.ts';

export function opsRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();

  app.get('/healthz', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'ok' as const });
  });

  app.get('/readyz', async (c) => {
    c.header('Cache-Control', 'no-store');
    const r = await readiness(deps.db);
    const draining = deps.draining?.() ?? false;
    const ready = r.ready && !draining;
    return c.json(
      { status: ready ? ('ready' as const) : ('not_ready' as const), ...(draining ? { draining: true } : {}), checks: r.checks },
      ready ? 200 : 503,
    );
  });

  return app;
}
