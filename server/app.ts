/**
 * The reference portal API (DESIGN §3): a Hono app over Kysely. `createApp(deps)` sets the shared
 * answers (errors, security headers, per-org origin check and CORS) and mounts the route areas,
 * each a Hono sub-app in routes/; the work itself is in domain/, the data in db/. `startServer()` in
 * index.ts opens the database and serves it.
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { dummyPasswordHash } from './domain/passwords.ts';
import { OrgCache } from './domain/orgs.ts';
import { ApiError } from './errors.ts';
import { adminRoutes } from './routes/admin.ts';
import { confirmationPageRoutes } from './routes/confirmation-pages.ts';
import { AfterAnswer } from './after-answer.ts';
import { devRoutes } from './routes/dev.ts';
import { meRoutes } from './routes/me.ts';
import { buildOpenApi } from './routes/openapi.ts';
import { opsRoutes } from './routes/ops.ts';
import { publicRoutes } from './routes/public.ts';
import { sessionRoutes } from './routes/sessions.ts';
import type { AppDeps, Env } from './types.ts';

/** A caller's X-Request-Id is kept when it is short and plain; otherwise one is made. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TOKEN_LIKE = /^[A-Za-z0-9_-]{20,}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The path as logged: segments that could be a token or an email address become `:redacted`. */
export function loggablePath(path: string): string {
  return path
    .split('/')
    .map((seg) => {
      let decoded = seg;
      try {
        decoded = decodeURIComponent(seg);
      } catch {
        return ':redacted';
      }
      if (decoded.includes('@') || (TOKEN_LIKE.test(decoded) && !UUID.test(decoded))) return ':redacted';
      return seg.length > 100 ? ':redacted' : seg;
    })
    .join('/');
}

export type { AppConfig, AppDeps, Env } from './types.ts';

export function createApp(options: AppDeps): Hono<Env> {
  const deps: AppDeps = { ...options, afterAnswer: options.afterAnswer ?? new AfterAnswer() };
  const { db, config } = deps;
  const app = new Hono<Env>();
  // Ready before the first unknown-email sign-in, so that one is not faster than the others.
  void dummyPasswordHash();

  // ----- request id and structured request log (first, so it sees every answer) ----------------
  app.use('*', async (c, next) => {
    const given = c.req.header('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
    const started = performance.now();
    c.set('requestId', requestId);
    // Headers of every answer are set before the handler runs: c.header() after it has answered
    // rebuilds the answer as a stream-bodied Response, per call (issue 15: 3% of GET /me's main thread).
    c.header('X-Request-Id', requestId);
    await next();
    const log = deps.logRequest;
    if (!log) return;
    const status = c.res.status;
    const org = c.get('org')?.slug;
    log({
      time: new Date().toISOString(),
      level: status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info',
      msg: 'request',
      requestId,
      method: c.req.method,
      path: loggablePath(c.req.path),
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      ...(org ? { org } : {}),
    });
  });

  // ----- errors -------------------------------------------------------------------------------
  app.onError((err, c) => {
    if (err instanceof ApiError) {
      if (err.retryAfter !== undefined) c.header('Retry-After', String(err.retryAfter));
      // The request body was not (fully) read: this connection cannot carry another request.
      if (err.code === 'payload_too_large' || err.code === 'unsupported_media_type') c.header('Connection', 'close');
      return c.json(err.body(), err.status as ContentfulStatusCode);
    }
    console.error(
      `unexpected error on ${c.req.method} ${loggablePath(c.req.path)} (request ${c.get('requestId')}): ${(err as Error)?.name}: ${(err as Error)?.message}`,
    );
    return c.json(new ApiError('server_error').body(), 500);
  });
  app.notFound((c) => c.json(new ApiError('not_found').body(), 404));

  // ----- every answer: no sniffing, nothing renders as a page ------------------------------------
  app.use('*', async (c, next) => {
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    c.header('Referrer-Policy', 'no-referrer');
    await next();
  });

  // ----- per-org origin check and CORS (DESIGN §4) ---------------------------------------------
  // The org row comes from a short-lived in-process cache (domain/orgs.ts, ORG_CACHE_TTL_MS), so a
  // request or a preflight does not read it again: a preflight is answered without a query.
  const orgs = new OrgCache(db);
  app.use('/v1/orgs/:org/*', async (c, next) => {
    c.header('Vary', 'Origin');
    const org = await orgs.get(c.req.param('org') ?? '');
    const origin = c.req.header('origin') ?? null;
    if (!org) {
      // No such organization: no allowlist to keep, and a request without Origin learns the same. Readable
      // from any page, so an element can tell its integrator the slug is wrong (issue 11), not merely
      // "refused"; a refused origin (below) stays unreadable.
      c.header('Access-Control-Allow-Origin', '*');
      throw new ApiError('not_found');
    }
    if (origin !== null && !org.allowed_origins.includes(origin)) throw new ApiError('origin_not_allowed');
    c.set('org', org);
    c.set('origin', origin);
    if (origin !== null) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Expose-Headers', 'Retry-After');
    }
    if (c.req.method === 'OPTIONS') {
      // OPTIONS too: the elements' warm-up (src/api/warm.ts) is a preflighted OPTIONS that caches the POST's preflight.
      c.header('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
      c.header('Access-Control-Allow-Headers', 'content-type, authorization');
      c.header('Access-Control-Max-Age', '600');
      return c.body(null, 204);
    }
    await next();
  });

  // ----- route areas ---------------------------------------------------------------------------
  const ORG = '/v1/orgs/:org';
  app.route(ORG, publicRoutes(deps));
  app.route(ORG, sessionRoutes(deps));
  app.route(ORG, meRoutes(deps));
  app.route(ORG, adminRoutes(deps));
  app.route(ORG, confirmationPageRoutes(deps));

  app.route('/', opsRoutes(deps));

  const openapi = buildOpenApi(!config.production);
  app.get('/v1/openapi.json', (c) => {
    c.header('Access-Control-Allow-Origin', '*');
    return c.json(openapi);
  });

  // Development only: never mounted in production.
  if (!config.production) app.route('/dev', devRoutes(deps));

  return app;
}
