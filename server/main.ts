/**
 * CLI: `node --import tsx server/main.ts`. Reads the environment (see server/README.md), prints
 * exactly one line `portal API listening on http://127.0.0.1:<port>` when ready, and shuts down
 * cleanly (PGlite closed) on SIGTERM / SIGINT.
 */
import { startServer } from './index.ts';

const env = process.env;

function port(): number {
  const raw = env.PORT ?? env.API_PORT ?? '8787';
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`Invalid PORT: ${raw}`);
  return n;
}

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

try {
  const server = await startServer({
    port: port(),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.DATA_DIR || '.data/pglite',
    schema: env.DATABASE_SCHEMA || undefined,
    // Test runs that made up their own schema have it dropped on shutdown.
    dropSchemaOnClose: env.DATABASE_SCHEMA_TEMPORARY === '1' || env.DATABASE_SCHEMA_TEMPORARY === 'true',
    devOrigins: list(env.PORTAL_DEV_ORIGINS),
    portalUrl: env.DEMO_PORTAL_URL || 'http://localhost:5173/portal.html',
    production: env.NODE_ENV === 'production',
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || 'Portal <portal@localhost>',
    tokenSecret: env.TOKEN_SECRET || undefined,
    ...(env.PUBLIC_API_URL ? { publicUrl: env.PUBLIC_API_URL } : {}),
    rateLimits: env.RATE_LIMITS === 'off' ? false : {},
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    ...(env.ADMIN_API_KEYS
      ? { adminApiKeys: Object.fromEntries(list(env.ADMIN_API_KEYS).map((pair) => pair.split(':', 2) as [string, string])) }
      : {}),
    ...(env.REFRESH_GRACE_SECONDS ? { refreshGraceSeconds: Number(env.REFRESH_GRACE_SECONDS) } : {}),
    ...(env.OUTBOX_POLL_MS ? { outboxPollMs: Number(env.OUTBOX_POLL_MS) } : {}),
    ...(env.OUTBOX_BACKOFF_SECONDS ? { outboxBackoffSeconds: Number(env.OUTBOX_BACKOFF_SECONDS) } : {}),
  });
  console.log(`portal API listening on ${server.url}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`shutdown after ${signal} failed: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} catch (err) {
  console.error(`portal API failed to start: ${(err as Error).message}`);
  process.exit(1);
}
