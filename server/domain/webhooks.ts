/**
 * Signed webhooks to the organization's CRM (issue 12; no HTTP routing here).
 *
 * - Events: `account.created`, `constituent.created`, `account.linked`, `profile.updated`,
 *   `constituents.merged` (`WEBHOOK_EVENTS`). They come from the one audit writer (audit.ts): an
 *   audited change queues its event in the same transaction, so an event exists exactly when the
 *   change committed — the transactional outbox pattern, in its own table (`webhook_deliveries`,
 *   one row per event and endpoint).
 * - Endpoints are per org (`webhook_endpoints`: URL, secret, event filter), managed with the admin
 *   API and `portal-api webhook …`. The secret is shown once, when the endpoint is made.
 * - Each request is signed: `Portal-Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 *   "<t>.<raw body>" with the endpoint's secret>`, plus `Portal-Webhook-Id` (the event id: the same on
 *   every retry, for deduplication) and `Portal-Webhook-Event`. Receivers check the HMAC in constant
 *   time and refuse timestamps older than five minutes (replays). See docs/operations.md.
 * - Delivery: any 2xx is success. Anything else — refused, timeout, 3xx/4xx/5xx — is retried with
 *   exponential back-off (capped at an hour) for up to `maxAttempts` (default 15, about a day); then
 *   the delivery is `failed` and stays listed for staff. Claims use `FOR UPDATE SKIP LOCKED` and a
 *   lease, so several API processes deliver each event once.
 */
import { createHmac } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Db } from '../types.ts';
import { randomToken } from './crypto.ts';

export const WEBHOOK_EVENTS = ['account.created', 'constituent.created', 'account.linked', 'profile.updated', 'constituents.merged'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export class WebhookError extends Error {}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Addresses a webhook may not reach unless the operator allows private networks
 * (WEBHOOK_ALLOW_PRIVATE=1, for a CRM inside the LAN): private, shared (CGNAT), link-local (cloud
 * metadata at 169.254.169.254), unspecified, multicast, and loopback other than by its own name.
 */
const INTERNAL = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  INTERNAL.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['::ffff:0:0', 96],
] as const)
  INTERNAL.addSubnet(net, bits, 'ipv6');

export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  return family !== 0 && INTERNAL.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * An endpoint URL: https, or http on this machine by its own name (a local relay, tests); no
 * credentials; not an internal address written as an IP (unless `allowPrivate`).
 */
export function webhookUrlProblem(value: string, allowPrivate = false): string | undefined {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return 'must be an absolute https:// URL';
  }
  if (u.username || u.password) return 'must not contain credentials';
  const local = LOOPBACK.has(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && (local || allowPrivate))) return 'must be an https:// URL (http:// only for localhost)';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!local && !allowPrivate && isInternalAddress(host))
    return 'must not point into a private or internal network (set WEBHOOK_ALLOW_PRIVATE=1 for a CRM on your LAN)';
  return undefined;
}

/** Resolves a host name to every address it has (the shape of `dns.lookup` with `all: true`). */
export type Resolver = (
  hostname: string,
  options: LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * The delivery connection's own DNS lookup: it refuses a host name with any internal address, and the
 * socket connects to an address from that same answer. Checking with one lookup and connecting after
 * another would let a rebinding name answer "public" to the check and "internal" to the connect.
 * Loopback by its own name (`localhost`) stays allowed, as at creation; IP literals were checked then
 * and never reach a lookup.
 */
function pinnedLookup(resolve: Resolver, refuseInternal: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { family: options.family, hints: options.hints, all: true }, (err, addresses) => {
      const list = addresses ?? [];
      if (!err && list.length === 0) err = Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' });
      if (!err && refuseInternal && !LOOPBACK.has(hostname) && list.some((a) => isInternalAddress(a.address)))
        err = Object.assign(new Error('the host resolves to an internal address'), { code: 'EINTERNAL' });
      if (err) callback(err, '', 4);
      else if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      else callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/** One POST, no redirects followed, the whole exchange bounded by `timeoutMs`. Resolves with the status. */
function post(url: string, headers: OutgoingHttpHeaders, body: string, timeoutMs: number, lookup: LookupFunction): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(
      u,
      { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, lookup },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    const timer = setTimeout(() => req.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })), timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', reject);
    req.end(body);
  });
}

export interface WebhookEndpointInfo {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  createdAt: string;
}

function info(r: { id: string; url: string; events: string[]; active: boolean; created_at: Date }): WebhookEndpointInfo {
  return { id: r.id, url: r.url, events: r.events, active: r.active, createdAt: new Date(r.created_at).toISOString() };
}

/** Makes an endpoint; returns it with its signing secret (shown once). `events` empty = all. */
export async function createEndpoint(
  db: Db,
  orgId: string,
  url: string,
  events: string[],
  allowPrivate = false,
): Promise<WebhookEndpointInfo & { secret: string }> {
  const problem = webhookUrlProblem(url, allowPrivate);
  if (problem) throw new WebhookError(`url ${problem}`);
  const unknown = events.filter((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e));
  if (unknown.length) throw new WebhookError(`unknown event(s) ${unknown.join(', ')}; events: ${WEBHOOK_EVENTS.join(', ')}`);
  const secret = `whsec_${randomToken()}`;
  const row = await db
    .insertInto('webhook_endpoints')
    .values({ org_id: orgId, url, secret, events: [...new Set(events)] })
    .returning(['id', 'url', 'events', 'active', 'created_at'])
    .executeTakeFirstOrThrow();
  return { ...info(row), secret };
}

export async function listEndpoints(db: Db, orgId: string): Promise<WebhookEndpointInfo[]> {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .select(['id', 'url', 'events', 'active', 'created_at'])
    .where('org_id', '=', orgId)
    .orderBy('created_at')
    .execute();
  return rows.map(info);
}

/** Deletes an endpoint and its queued deliveries; `false` when it is not this org's. */
export async function deleteEndpoint(db: Db, orgId: string, id: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return false;
  const r = await db.deleteFrom('webhook_endpoints').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export interface DeliveryInfo {
  id: string;
  eventId: string;
  event: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export async function listDeliveries(db: Db, orgId: string, endpointId: string, limit = 100): Promise<DeliveryInfo[] | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(endpointId)) return undefined;
  const ep = await db.selectFrom('webhook_endpoints').select('id').where('org_id', '=', orgId).where('id', '=', endpointId).executeTakeFirst();
  if (!ep) return undefined;
  const rows = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('endpoint_id', '=', endpointId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: String(r.id),
    eventId: r.event_id,
    event: r.event,
    status: r.status,
    attempts: r.attempts,
    lastStatus: r.last_status,
    lastError: r.last_error,
    nextAttemptAt: r.status === 'pending' ? new Date(r.next_attempt_at).toISOString() : null,
    deliveredAt: r.delivered_at ? new Date(r.delivered_at).toISOString() : null,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}

/** Queues `event` for every active endpoint of the org that wants it — call inside the change's transaction. */
export async function queueEvent(db: Db, orgId: string, event: WebhookEvent, data: Record<string, unknown>): Promise<number> {
  const endpoints = await db
    .selectFrom('webhook_endpoints')
    .select(['id', 'events'])
    .where('org_id', '=', orgId)
    .where('active', '=', true)
    .execute();
  const targets = endpoints.filter((e) => e.events.length === 0 || e.events.includes(event));
  if (targets.length === 0) return 0;
  const org = await db.selectFrom('orgs').select('slug').where('id', '=', orgId).executeTakeFirstOrThrow();
  const createdAt = new Date().toISOString();
  for (const t of targets) {
    // The payload is stored whole, so every retry sends the same bytes (and the same event id).
    const row = await db
      .insertInto('webhook_deliveries')
      .values({ endpoint_id: t.id, org_id: orgId, event, payload: '{}' })
      .returning(['id', 'event_id'])
      .executeTakeFirstOrThrow();
    const payload = { id: row.event_id, type: event, createdAt, org: org.slug, data };
    await db
      .updateTable('webhook_deliveries')
      .set({ payload: JSON.stringify(payload) })
      .where('id', '=', row.id)
      .execute();
  }
  return targets.length;
}

/** The signature header value for a body sent at `timestamp` (unix seconds). */
export function signature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface WebhookDispatcherOptions {
  pollMs?: number;
  /** First retry delay in seconds (doubles each attempt, capped at `maxBackoffSeconds`). Default 10. */
  backoffSeconds?: number;
  maxBackoffSeconds?: number;
  /** Attempts before a delivery is `failed`. Default 15. */
  maxAttempts?: number;
  /** Per request. Default 10 s. */
  timeoutMs?: number;
  /** Deliver to private / internal networks too (WEBHOOK_ALLOW_PRIVATE). Default false. */
  allowPrivate?: boolean;
  /** The DNS resolver deliveries connect through (default `dns.lookup`; tests answer for made-up names). */
  resolve?: Resolver;
}

/** Delivers queued webhook events (one per process; several processes share the work). */
export class WebhookDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private readonly opts: Required<Omit<WebhookDispatcherOptions, 'resolve'>>;
  /** The lookup every delivery connects through: refuses internal addresses unless allowed. */
  private readonly lookup: LookupFunction;

  constructor(
    private readonly db: Kysely<DB>,
    opts: WebhookDispatcherOptions = {},
  ) {
    this.opts = {
      pollMs: opts.pollMs ?? 1000,
      backoffSeconds: opts.backoffSeconds ?? 10,
      maxBackoffSeconds: opts.maxBackoffSeconds ?? 3600,
      maxAttempts: opts.maxAttempts ?? 15,
      timeoutMs: opts.timeoutMs ?? 10_000,
      allowPrivate: opts.allowPrivate ?? false,
    };
    this.lookup = pinnedLookup(opts.resolve ?? (dnsLookup as unknown as Resolver), !this.opts.allowPrivate);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Work was queued: look now instead of at the next poll. */
  notify(): void {
    if (!this.stopped && !this.running) this.schedule(0);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((err: unknown) => console.error(`webhooks: ${(err as Error).message}`))
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) this.schedule(this.opts.pollMs);
        });
    }, ms);
    this.timer.unref();
  }

  /** Claims and sends every due delivery (in small batches) until none is due. */
  async tick(): Promise<void> {
    for (let round = 0; round < 100 && !this.stopped; round++) {
      const lease = Math.ceil((this.opts.timeoutMs * 2) / 1000) + 30;
      const claimed = await this.db.transaction().execute(async (trx) => {
        const due = await sql<{ id: string }>`
          SELECT id FROM webhook_deliveries
          WHERE status = 'pending' AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
          ORDER BY next_attempt_at, id LIMIT 20 FOR UPDATE SKIP LOCKED`.execute(trx);
        if (due.rows.length === 0) return [];
        const ids = due.rows.map((r) => String(r.id));
        return trx
          .updateTable('webhook_deliveries as d')
          .from('webhook_endpoints as e')
          .set({ locked_until: sql<Date>`now() + ${lease}::int * interval '1 second'` })
          .whereRef('e.id', '=', 'd.endpoint_id')
          .where('d.id', 'in', ids)
          .returning(['d.id', 'd.attempts', 'd.payload', 'd.event', 'd.event_id', 'e.url', 'e.secret'])
          .execute();
      });
      if (claimed.length === 0) return;
      await Promise.all(claimed.map((d) => this.deliver(d)));
    }
  }

  private async deliver(d: {
    id: string;
    attempts: number;
    payload: Record<string, unknown>;
    event: string;
    event_id: string;
    url: string;
    secret: string;
  }): Promise<void> {
    const body = JSON.stringify(d.payload);
    const timestamp = Math.floor(Date.now() / 1000);
    let status: number | null = null;
    let error: string | null = null;
    try {
      status = await post(
        d.url,
        {
          'content-type': 'application/json',
          'user-agent': 'portal-api-webhooks/1',
          'portal-webhook-id': d.event_id,
          'portal-webhook-event': d.event,
          'portal-webhook-timestamp': String(timestamp),
          'portal-webhook-signature': signature(d.secret, timestamp, body),
        },
        body,
        this.opts.timeoutMs,
        this.lookup,
      );
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      error = e.name === 'TimeoutError' ? 'timeout' : (e.code && e.code !== 'EINTERNAL' ? e.code : e.message).slice(0, 200);
    }
    const attempts = d.attempts + 1;
    if (error === null) {
      await this.db
        .updateTable('webhook_deliveries')
        .set({ status: 'delivered', attempts, last_status: status, last_error: null, locked_until: null, delivered_at: new Date() })
        .where('id', '=', d.id)
        .execute();
      return;
    }
    const giveUp = attempts >= this.opts.maxAttempts;
    const delay = Math.min(this.opts.maxBackoffSeconds, this.opts.backoffSeconds * 2 ** (attempts - 1));
    await this.db
      .updateTable('webhook_deliveries')
      .set({
        status: giveUp ? 'failed' : 'pending',
        attempts,
        last_status: status,
        last_error: error,
        locked_until: null,
        next_attempt_at: sql<Date>`now() + ${delay}::float8 * interval '1 second'`,
      })
      .where('id', '=', d.id)
      .execute();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
