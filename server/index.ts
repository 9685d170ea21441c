/**
 * `startServer()`: opens the database, migrates, seeds the demo orgs, starts the outbox dispatcher
 * and serves the API on 127.0.0.1. `close()` stops all of it (and closes PGlite).
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Kysely } from 'kysely';
import { AfterAnswer } from './after-answer.ts';
import { createApp } from './app.ts';
import { openDatabase, type DB } from './db/index.ts';
import { migrate } from './db/migrations.ts';
import { seed } from './domain/seed.ts';
import { storedSecret } from './db/settings.ts';
import { cleanUp } from './domain/housekeeping.ts';
import { setAdminKey } from './domain/orgs.ts';
import { OutboxDispatcher, smtpTransport, type Transport } from './domain/outbox.ts';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './domain/ratelimit.ts';
import { WebhookDispatcher, type Resolver } from './domain/webhooks.ts';
import { parseTrustProxy } from './routes/http.ts';
import type { AppConfig, RequestLogEntry } from './types.ts';

export { cleanUp } from './domain/housekeeping.ts';

export interface StartOptions {
  /** 0 picks a free port. Default: PORT, else API_PORT, else 8787. */
  port?: number;
  host?: string;
  /** PostgreSQL URL; without it, PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite data directory or `memory` (default `.data/pglite`). */
  dataDir?: string | undefined;
  /** Run everything in this schema (created if missing). */
  schema?: string | undefined;
  /** Drop `schema` on close (test runs that made their own). */
  dropSchemaOnClose?: boolean;
  /** Extra exact origins for the demo orgs (PORTAL_DEV_ORIGINS). */
  devOrigins?: string[];
  /** Demo org portal URL (DEMO_PORTAL_URL). */
  portalUrl?: string;
  /**
   * Production is the default (issue 9 item 6): no /dev routes, no captured mail, no demo data, no
   * development admin key. Development is opted into with `production: false` (NODE_ENV=development).
   */
  production?: boolean;
  /** SMTP URL: when set, the dispatcher sends with nodemailer. */
  smtpUrl?: string | undefined;
  mailFrom?: string;
  /**
   * SMS provider (e.g. a few lines around Twilio's client; see server/README.md). Without it texts go
   * to the development mailbox, or stay `pending` in production.
   */
  smsTransport?: Transport | undefined;
  /** HMAC secret for access tokens; by default generated once and stored in the database. */
  tokenSecret?: string | undefined;
  /** `false` turns rate limits off; an object overrides some limits. Default: on. */
  rateLimits?: false | Partial<RateLimits>;
  /**
   * Proxies that may report the client address (TRUST_PROXY): addresses/CIDRs (`loopback`, `private`
   * …) as a comma list, or a hop count. `true` means one hop (the old `TRUST_PROXY=1`). Default none.
   */
  trustProxy?: boolean | string | number;
  refreshGraceSeconds?: number;
  accessTokenSeconds?: number;
  /**
   * Admin API keys by org slug. Default outside production: `riverside-arts` gets the documented
   * development key `dev-admin-key-riverside-arts`.
   */
  adminApiKeys?: Record<string, string>;
  /** Public base URL of this API (PUBLIC_API_URL); default the address it listens on. */
  publicUrl?: string;
  /**
   * Development demo data: the demo orgs and people, and the documented development admin key.
   * Default: on outside production, off in production.
   */
  demo?: boolean;
  /** Structured JSON request logs on stdout (one line per request, with its request id). Default off. */
  logRequests?: boolean;
  /** On close: how long requests in flight may take before their connections are cut (default 2 s; the CLI: 10 s). */
  shutdownGraceMs?: number;
  /** Webhook deliveries: poll interval (ms; default: the outbox's), first retry delay (s, default 10), attempts (default 15), request timeout (ms, default 10 000). */
  webhookPollMs?: number;
  webhookBackoffSeconds?: number;
  webhookMaxAttempts?: number;
  webhookTimeoutMs?: number;
  /** Webhook endpoints may be in private networks (a CRM on the LAN). Default false. */
  webhookAllowPrivate?: boolean;
  /** The DNS resolver webhook deliveries connect through (default `dns.lookup`; tests answer for made-up names). */
  webhookResolve?: Resolver;
  /** Outbox poll interval (ms). */
  outboxPollMs?: number;
  /** First outbox retry delay in seconds (doubles each attempt; default 5). */
  outboxBackoffSeconds?: number;
  /** The longest wait between two outbox attempts in seconds (default 300); retries last until the message expires. */
  outboxMaxBackoffSeconds?: number;
  /** The longest one SMTP send may take (ms, default 30 000); the outbox lease is longer. */
  smtpTimeoutMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  db: Kysely<DB>;
  dispatcher: OutboxDispatcher;
  /** Delivers the signed webhooks (domain/webhooks.ts). */
  webhooks: WebhookDispatcher;
  /** Resolves once the work answers left for after them (resend, reset: after-answer.ts) has ended. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const database = await openDatabase({
    databaseUrl: opts.databaseUrl,
    dataDir: opts.dataDir,
    schema: opts.schema,
    dropSchemaOnClose: opts.dropSchemaOnClose,
  });
  const { db } = database;
  let dispatcher: OutboxDispatcher | undefined;
  try {
    await migrate(db);
    const production = opts.production ?? true;
    const demo = opts.demo ?? !production;
    if (demo) {
      await seed(db, {
        devOrigins: opts.devOrigins ?? [],
        portalUrl: opts.portalUrl ?? 'http://localhost:5173/portal.html',
      });
    }
    let publicUrl = opts.publicUrl ?? '';
    const keys = opts.adminApiKeys ?? (demo ? { 'riverside-arts': 'dev-admin-key-riverside-arts' } : {});
    for (const [slug, key] of Object.entries(keys)) {
      await setAdminKey(db, slug, key);
    }
    const config: AppConfig = {
      production,
      tokenSecret: opts.tokenSecret ?? (await storedSecret(db)),
      rateLimits: opts.rateLimits === false ? null : { ...DEFAULT_RATE_LIMITS, ...opts.rateLimits },
      trustProxy: parseTrustProxy(opts.trustProxy === true ? 1 : opts.trustProxy === false ? undefined : opts.trustProxy),
      refreshGraceSeconds: opts.refreshGraceSeconds ?? 10,
      accessTokenSeconds: opts.accessTokenSeconds ?? 300,
      publicUrl: () => publicUrl,
      webhookAllowPrivate: opts.webhookAllowPrivate === true,
    };
    const email = opts.smtpUrl
      ? await smtpTransport(
          opts.smtpUrl,
          opts.mailFrom ?? 'portal@localhost',
          opts.smtpTimeoutMs !== undefined ? { sendTimeoutMs: opts.smtpTimeoutMs } : {},
        )
      : undefined;
    if (production && !email) {
      // Nothing is lost: mail waits in the outbox until a process with SMTP runs (or it expires).
      console.warn('portal API: SMTP_URL is not set — email is kept queued in the outbox (pending) and not sent until a process with SMTP_URL runs');
    }
    dispatcher = new OutboxDispatcher(db, {
      transports: { email, sms: opts.smsTransport },
      // Production never pretends to deliver: a channel without a transport stays pending.
      devOutbox: !production,
      pollMs: opts.outboxPollMs ?? 1000,
      ...(opts.outboxBackoffSeconds !== undefined ? { backoffSeconds: opts.outboxBackoffSeconds } : {}),
      ...(opts.outboxMaxBackoffSeconds !== undefined ? { maxBackoffSeconds: opts.outboxMaxBackoffSeconds } : {}),
    });
    const d = dispatcher;
    let draining = false;
    const afterAnswer = new AfterAnswer();
    const app = createApp({
      db,
      config,
      onMailQueued: () => d.notify(),
      afterAnswer,
      draining: () => draining,
      ...(opts.logRequests ? { logRequest: (entry: RequestLogEntry) => process.stdout.write(`${JSON.stringify(entry)}\n`) } : {}),
    });
    d.start();
    const hooks = new WebhookDispatcher(db, {
      pollMs: opts.webhookPollMs ?? opts.outboxPollMs ?? 1000,
      ...(opts.webhookBackoffSeconds !== undefined ? { backoffSeconds: opts.webhookBackoffSeconds } : {}),
      ...(opts.webhookMaxAttempts !== undefined ? { maxAttempts: opts.webhookMaxAttempts } : {}),
      ...(opts.webhookTimeoutMs !== undefined ? { timeoutMs: opts.webhookTimeoutMs } : {}),
      allowPrivate: opts.webhookAllowPrivate === true,
      ...(opts.webhookResolve ? { resolve: opts.webhookResolve } : {}),
    });
    hooks.start();

    const host = opts.host ?? '127.0.0.1';
    const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: opts.port ?? 8787, hostname: host }, () => resolve(s));
      s.once('error', reject);
    });
    // Keep idle connections longer than clients do, so a client never reuses a socket the server is
    // closing at that moment ("other side closed" under load).
    if ('keepAliveTimeout' in server) {
      server.keepAliveTimeout = 65_000;
      server.headersTimeout = 66_000;
    }
    const port = (server.address() as AddressInfo).port;
    // An IPv6 listen address goes in brackets in a URL (HOST=:: → http://[::]:8787).
    const urlHost = host.includes(':') ? `[${host}]` : host;
    publicUrl = (opts.publicUrl ?? `http://${urlHost}:${port}`).replace(/\/$/, '');
    // Housekeeping: forget stale rate-limit windows and long-dead sign-up / reset tokens.
    const housekeeping = setInterval(() => {
      void cleanUp(db).catch((err: unknown) => console.error(`housekeeping: ${(err as Error).message}`));
    }, 10 * 60_000);
    housekeeping.unref();
    let closing: Promise<void> | undefined;
    return {
      url: `http://${urlHost}:${port}`,
      port,
      db,
      dispatcher: d,
      webhooks: hooks,
      idle: () => afterAnswer.idle(),
      close() {
        closing ??= (async () => {
          clearInterval(housekeeping);
          draining = true;
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            // Idle keep-alive sockets go now; requests in flight get the grace period to finish.
            const s = server as { closeIdleConnections?: () => void; closeAllConnections?: () => void };
            s.closeIdleConnections?.();
            setTimeout(() => s.closeAllConnections?.(), opts.shutdownGraceMs ?? 2000).unref();
          });
          // What the last answers promised (a reset link, a resent confirmation) is written before the database closes.
          await afterAnswer.idle();
          await hooks.stop();
          await d.stop();
          await database.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    await dispatcher?.stop().catch(() => {});
    await database.close().catch(() => {});
    throw err;
  }
}
