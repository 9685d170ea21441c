/**
 * Configuration from the environment, validated at start: every mistake is one clear line
 * (`PORT must be a whole number from 0 to 65535 (got "80a")`), all of them at once, and nothing
 * starts until there are none. `portal-api` and `server/main.ts` both read it from here.
 */
import type { StartOptions } from './index.ts';

export type Env = Record<string, string | undefined>;

export interface DatabaseConfig {
  databaseUrl: string | undefined;
  dataDir: string;
  schema: string | undefined;
  dropSchemaOnClose: boolean;
}

export interface ConfigResult<T> {
  value: T;
  /** One line per mistake; empty when the configuration is usable. */
  errors: string[];
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const flag = (v: string | undefined) => v === '1' || v === 'true';

/** Reads `DATABASE_URL`, `DATA_DIR`, `DATABASE_SCHEMA`, `DATABASE_SCHEMA_TEMPORARY`. */
export function databaseConfig(env: Env): ConfigResult<DatabaseConfig> {
  const errors: string[] = [];
  const url = env.DATABASE_URL || undefined;
  if (url) {
    let ok = false;
    try {
      ok = ['postgres:', 'postgresql:'].includes(new URL(url).protocol);
    } catch {
      ok = false;
    }
    if (!ok) errors.push('DATABASE_URL must be a postgres:// or postgresql:// URL (or unset for the embedded database in DATA_DIR)');
  }
  const schema = env.DATABASE_SCHEMA || undefined;
  if (schema && !SCHEMA_NAME.test(schema))
    errors.push(`DATABASE_SCHEMA must be a lower-case SQL name (letters, digits, _; at most 63), got "${schema}"`);
  for (const name of ['DATABASE_SCHEMA_TEMPORARY'] as const) {
    const v = env[name];
    if (v !== undefined && v !== '' && !['0', '1', 'true', 'false'].includes(v)) errors.push(`${name} must be 1 or 0, got "${v}"`);
  }
  return {
    value: {
      databaseUrl: url,
      dataDir: env.DATA_DIR || '.data/pglite',
      schema,
      // Test runs that made up their own schema have it dropped on shutdown.
      dropSchemaOnClose: flag(env.DATABASE_SCHEMA_TEMPORARY),
    },
    errors,
  };
}

function int(env: Env, name: string, errors: string[], min: number, max: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(n) || n < min || n > max) {
    errors.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return undefined;
  }
  return n;
}

function httpUrl(env: Env, name: string, errors: string[]): string | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  try {
    const u = new URL(raw);
    if (u.protocol === 'http:' || u.protocol === 'https:') return raw;
  } catch {
    // reported below
  }
  errors.push(`${name} must be an http:// or https:// URL, got "${raw}"`);
  return undefined;
}

/**
 * Everything `serve` needs. `defaults.production`: what an unset NODE_ENV means (`portal-api` is
 * production by default; only NODE_ENV=development turns on the demo seed, /dev/* and captured mail).
 * `defaults.logRequests`: whether JSON request logs are on when LOG_REQUESTS is unset (default on).
 */
export function serveConfig(env: Env, defaults: { production: boolean; logRequests?: boolean }): ConfigResult<StartOptions> {
  const db = databaseConfig(env);
  const errors = [...db.errors];
  const mode = env.NODE_ENV;
  if (mode && !['production', 'development', 'test'].includes(mode)) errors.push(`NODE_ENV must be production or development, got "${mode}"`);
  const production = mode === 'production' ? true : mode === 'development' ? false : defaults.production;
  const port = int(env, 'PORT', errors, 0, 65535) ?? int(env, 'API_PORT', errors, 0, 65535) ?? 8787;
  const host = env.HOST || '127.0.0.1';
  if (/\s|\/|^\[|\]$/.test(host)) errors.push(`HOST must be an address to listen on (127.0.0.1, 0.0.0.0, ::), got "${host}"`);
  const smtpUrl = env.SMTP_URL || undefined;
  if (smtpUrl) {
    let ok = false;
    try {
      ok = ['smtp:', 'smtps:'].includes(new URL(smtpUrl).protocol);
    } catch {
      ok = false;
    }
    if (!ok) errors.push('SMTP_URL must be an smtp:// or smtps:// URL');
  }
  if (env.RATE_LIMITS && !['on', 'off'].includes(env.RATE_LIMITS)) errors.push(`RATE_LIMITS must be on or off, got "${env.RATE_LIMITS}"`);
  if (env.TOKEN_SECRET !== undefined && env.TOKEN_SECRET !== '' && env.TOKEN_SECRET.length < 32) {
    errors.push('TOKEN_SECRET must be at least 32 characters (or unset: one is generated and kept in the database)');
  }
  let adminApiKeys: Record<string, string> | undefined;
  if (env.ADMIN_API_KEYS) {
    adminApiKeys = {};
    for (const pair of list(env.ADMIN_API_KEYS)) {
      const i = pair.indexOf(':');
      const slug = i > 0 ? pair.slice(0, i) : '';
      const key = i > 0 ? pair.slice(i + 1) : '';
      if (!slug || key.length < 16) {
        errors.push('ADMIN_API_KEYS must be slug:key pairs separated by commas, each key at least 16 characters');
        break;
      }
      adminApiKeys[slug] = key;
    }
  }
  const publicUrl = httpUrl(env, 'PUBLIC_API_URL', errors);
  const portalUrl = httpUrl(env, 'DEMO_PORTAL_URL', errors);
  const refreshGraceSeconds = int(env, 'REFRESH_GRACE_SECONDS', errors, 0, 3600);
  const outboxPollMs = int(env, 'OUTBOX_POLL_MS', errors, 10, 3_600_000);
  const outboxBackoffSeconds = int(env, 'OUTBOX_BACKOFF_SECONDS', errors, 0, 86_400);
  const webhookBackoffSeconds = int(env, 'WEBHOOK_BACKOFF_SECONDS', errors, 0, 86_400);
  const webhookMaxAttempts = int(env, 'WEBHOOK_MAX_ATTEMPTS', errors, 1, 100);
  const shutdownGraceMs = int(env, 'SHUTDOWN_GRACE_MS', errors, 0, 600_000);
  if (env.LOG_REQUESTS && !['on', 'off'].includes(env.LOG_REQUESTS)) errors.push(`LOG_REQUESTS must be on or off, got "${env.LOG_REQUESTS}"`);
  if (env.WEBHOOK_ALLOW_PRIVATE && !['0', '1', 'true', 'false'].includes(env.WEBHOOK_ALLOW_PRIVATE))
    errors.push(`WEBHOOK_ALLOW_PRIVATE must be 1 or 0, got "${env.WEBHOOK_ALLOW_PRIVATE}"`);
  const options: StartOptions = {
    port,
    host,
    ...db.value,
    devOrigins: list(env.PORTAL_DEV_ORIGINS),
    portalUrl: portalUrl || 'http://localhost:5173/portal.html',
    production,
    smtpUrl,
    mailFrom: env.MAIL_FROM || 'Portal <portal@localhost>',
    tokenSecret: env.TOKEN_SECRET || undefined,
    ...(publicUrl ? { publicUrl } : {}),
    rateLimits: env.RATE_LIMITS === 'off' ? false : {},
    // TRUST_PROXY: 1/true (one hop), a hop count, or a list of proxy addresses / CIDRs; checked at start.
    ...(env.TRUST_PROXY ? { trustProxy: env.TRUST_PROXY === 'true' ? true : env.TRUST_PROXY } : {}),
    ...(adminApiKeys ? { adminApiKeys } : {}),
    ...(refreshGraceSeconds !== undefined ? { refreshGraceSeconds } : {}),
    ...(outboxPollMs !== undefined ? { outboxPollMs } : {}),
    ...(outboxBackoffSeconds !== undefined ? { outboxBackoffSeconds } : {}),
    ...(webhookBackoffSeconds !== undefined ? { webhookBackoffSeconds } : {}),
    ...(webhookMaxAttempts !== undefined ? { webhookMaxAttempts } : {}),
    webhookAllowPrivate: flag(env.WEBHOOK_ALLOW_PRIVATE),
    shutdownGraceMs: shutdownGraceMs ?? 10_000,
    // Request logs: on by default (`portal-api`), off for server/main.ts in the repository; LOG_REQUESTS decides.
    logRequests: env.LOG_REQUESTS ? env.LOG_REQUESTS === 'on' : (defaults.logRequests ?? true),
  };
  return { value: options, errors };
}
