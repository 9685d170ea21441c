/**
 * Types shared by the layers (routes → domain → db). Types only, so nothing imports in a circle:
 * every module may import this one, and it imports no module of ours at runtime.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB, OrgsTable } from './db/schema.ts';
import type { AfterAnswer } from './after-answer.ts';
import type { RateLimits } from './domain/ratelimit.ts';
import type { TrustProxy } from './routes/http.ts';

export type { DB } from './db/schema.ts';

/** An organization row. */
export type Org = Selectable<OrgsTable>;

/** A connection, a transaction, or the pool: whatever a data-access function runs on. */
export type Db = Kysely<DB> | Transaction<DB>;

export interface AppConfig {
  /** Production mode: no `/dev/*`. */
  production: boolean;
  /** HMAC key for access tokens. */
  tokenSecret: string;
  /** `null` turns rate limiting off (test suites that sign up many people from one IP). */
  rateLimits: RateLimits | null;
  /** Which proxies may report the client address in X-Forwarded-For (TRUST_PROXY; none by default). */
  trustProxy: TrustProxy;
  /** How long a rotated refresh token may come back without revoking the session. */
  refreshGraceSeconds: number;
  accessTokenSeconds: number;
  /** This API's public base URL (invitation tracking links, QR image URLs) — configuration, never Host. */
  publicUrl: () => string;
  /** Webhook endpoints may be in private networks (WEBHOOK_ALLOW_PRIVATE; default no). */
  webhookAllowPrivate?: boolean;
}

export interface AppDeps {
  db: Kysely<DB>;
  config: AppConfig;
  /** Called after a transaction that queued mail commits (wakes the dispatcher). */
  onMailQueued?: () => void;
  /** Work answers do not wait for (resend, reset: see after-answer.ts); createApp makes one if absent. */
  afterAnswer?: AfterAnswer;
  /** True once shutdown has begun (`/readyz` answers 503 so load balancers drain this process). */
  draining?: () => boolean;
  /** Receives one structured line per request (JSON request logs); absent = no request logs. */
  logRequest?: (entry: RequestLogEntry) => void;
}

/** One request in the structured log: never a token, password, email address or query string. */
export interface RequestLogEntry {
  time: string;
  level: 'info' | 'warn' | 'error';
  msg: 'request';
  requestId: string;
  method: string;
  /** The path with token-like and email-like segments replaced by `:redacted`; no query string. */
  path: string;
  status: number;
  durationMs: number;
  org?: string;
}

/** The signed-in account behind a request's access token. */
export interface Auth {
  sessionId: string;
  accountId: string;
}

/** Hono variables set by the per-org middleware. */
export type Env = { Variables: { org: Org; origin: string | null; requestId: string } };
