/**
 * The transactional outbox (DESIGN §5): mail is inserted in the same transaction as the change that
 * causes it; the dispatcher claims pending rows (`FOR UPDATE SKIP LOCKED`, so several processes can
 * run one each), sends each through its channel's pluggable `Transport` (email: SMTP; SMS: whatever
 * provider the vendor plugs in) with capped exponential back-off until the message's own expiry
 * (24 h for a confirmation, 1 h for a reset: the life of its link), and never loses a message while
 * the provider is down; only a permanent answer (5xx) or the expiry fails it. Exactly once across
 * processes: a claim is a lease longer than any send, and only the claim's holder records the result. A channel without a transport: in development its messages are marked sent into
 * the development mailbox (`GET /dev/outbox`); in production (`devOutbox: false`) they stay `pending`,
 * untouched, until a process with a transport for that channel runs.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/index.ts';
import type { OutboxList } from '../../src/api/contract.ts';
import type { MailContent } from './mail.ts';

export function enqueueEmail(
  trx: Kysely<DB> | Transaction<DB>,
  msg: { orgId: string | null; to: string; template: string; content: MailContent; expiresAt?: Date },
): Promise<void> {
  return enqueue(trx, msg, { channel: 'email', subject: msg.content.subject, text_body: msg.content.text, html_body: msg.content.html });
}

/** Text messages: delivered by the `sms` transport (`startServer({ smsTransport })`), else the dev mailbox. */
export function enqueueSms(
  trx: Kysely<DB> | Transaction<DB>,
  msg: { orgId: string | null; to: string; template: string; text: string; expiresAt?: Date },
): Promise<void> {
  return enqueue(trx, msg, { channel: 'sms', subject: null, text_body: msg.text, html_body: null });
}

/** One outbox row, unclaimed and unsent, expiring with its template's lifetime unless told otherwise. */
async function enqueue(
  trx: Kysely<DB> | Transaction<DB>,
  msg: { orgId: string | null; to: string; template: string; expiresAt?: Date },
  body: { channel: 'email' | 'sms'; subject: string | null; text_body: string; html_body: string | null },
): Promise<void> {
  await trx
    .insertInto('outbox')
    .values({
      org_id: msg.orgId,
      to_address: msg.to,
      ...body,
      template: msg.template,
      expires_at: msg.expiresAt ?? new Date(Date.now() + (MESSAGE_TTL_MS[msg.template] ?? DEFAULT_MESSAGE_TTL_MS)),
      claim_id: null,
      locked_until: null,
      last_error: null,
      delivered_via: null,
      sent_at: null,
    })
    .execute();
}

export type Channel = 'email' | 'sms';

/** A delivery provider for one channel. SMS transports use `text` and ignore `subject` / `html`. */
export interface Transport {
  /** Recorded as `outbox.delivered_via` (e.g. `smtp`, `twilio`). */
  readonly name: string;
  /**
   * The longest one `send` may take; the dispatcher's claim on a message (its lease) is longer, so
   * no other process picks a message up while it is still being sent. Default 30 s.
   */
  readonly sendTimeoutMs?: number;
  /**
   * Resolves once the provider accepted the message; throws to retry later (back-off). An error with
   * `permanent: true`, or an SMTP `responseCode` 5xx, fails the message for good.
   */
  send(msg: { to: string; subject: string | null; text: string; html: string | null }): Promise<void>;
  close?(): void;
}

export interface DispatcherOptions {
  transports?: { [C in Channel]?: Transport | undefined };
  /**
   * A channel without a transport: `true` (default, development) marks its messages sent into the
   * dev mailbox (`delivered_via 'dev-outbox'`); `false` (production) leaves them `pending`, unclaimed.
   */
  devOutbox?: boolean;
  pollMs?: number;
  /** First retry delay in seconds (fractions allowed); doubles every attempt up to `maxBackoffSeconds`. */
  backoffSeconds?: number;
  /** The longest wait between two attempts (default 5 minutes). Retries go on until the message expires. */
  maxBackoffSeconds?: number;
  /** How long a claimed message is this dispatcher's (default: twice the longest send timeout + 30 s). */
  leaseSeconds?: number;
}

const DEFAULT_SEND_TIMEOUT_MS = 30_000;

export async function smtpTransport(url: string, from: string, opts: { sendTimeoutMs?: number } = {}): Promise<Transport> {
  const { default: nodemailer } = await import('nodemailer');
  const timeout = opts.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
  // Every phase is bounded (nodemailer's own defaults allow a send to hang for 10 minutes).
  const transporter = nodemailer.createTransport({ url, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout });
  return {
    name: 'smtp',
    sendTimeoutMs: timeout,
    async send(msg) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          transporter.sendMail({
            from,
            to: msg.to,
            subject: msg.subject ?? '',
            text: msg.text,
            ...(msg.html ? { html: msg.html } : {}),
          }),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(Object.assign(new Error('SMTP send timed out'), { code: 'ETIMEDOUT' })), timeout);
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => transporter.close(),
  };
}

/** How long a message waits before it is no longer worth sending, by template (the link's own life). */
export const MESSAGE_TTL_MS: Record<string, number> = {
  signup_confirmation: 24 * 3_600_000,
  password_reset: 3_600_000,
};
/** Everything else (invitations, "you already have an account"): a week. */
export const DEFAULT_MESSAGE_TTL_MS = 7 * 86_400_000;

/** Only the error's class of problem, never credentials or message bodies. */
function reasonOf(err: unknown): string {
  const e = err as { code?: unknown; responseCode?: unknown; message?: unknown; name?: unknown };
  if (typeof e.responseCode === 'number') return String(e.responseCode);
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code === 'ESOCKET' || code === 'ECONNECTION' || code === undefined) {
    const sys = /\b(E[A-Z]{3,})\b/.exec(String(e.message ?? ''))?.[1];
    if (sys) return sys;
  }
  return String(code ?? e.name ?? 'error').slice(0, 100);
}

/** A permanent answer (SMTP 5xx, or a transport that says so): retrying cannot help. */
function isPermanent(err: unknown): boolean {
  const e = err as { responseCode?: unknown; permanent?: unknown };
  if (e.permanent === true) return true;
  return typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600;
}

export class OutboxDispatcher {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  readonly #pollMs: number;
  readonly #backoff: number;
  readonly #maxBackoff: number;
  readonly #lease: number;

  constructor(
    readonly db: Kysely<DB>,
    readonly options: DispatcherOptions = {},
  ) {
    this.#pollMs = options.pollMs ?? 1000;
    this.#backoff = options.backoffSeconds ?? 5;
    this.#maxBackoff = options.maxBackoffSeconds ?? 300;
    const longestSend = Math.max(0, ...Object.values(options.transports ?? {}).map((t) => (t ? (t.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS) : 0)));
    this.#lease = options.leaseSeconds ?? Math.ceil((2 * longestSend) / 1000) + 30;
    if (this.#lease * 1000 <= longestSend) {
      // A lease that ends while a send may still run would let another process send it again.
      throw new Error(`outbox: the claim lease (${this.#lease} s) must be longer than the longest send timeout (${longestSend} ms)`);
    }
  }

  start(): void {
    this.#schedule(0);
  }

  /** Something was just enqueued: run soon. */
  notify(): void {
    if (this.#stopped) return;
    if (this.#running) this.#again = true;
    else this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
    for (const t of new Set(Object.values(this.options.transports ?? {}))) t?.close?.();
  }

  /** Runs one pass now (tests). */
  async runOnce(): Promise<number> {
    return this.#pass();
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#running = this.#tick().finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.#schedule(0);
        } else {
          this.#schedule(this.#pollMs);
        }
      });
    }, ms);
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    try {
      while (!this.#stopped && (await this.#pass()) > 0) {
        // keep draining
      }
    } catch (err) {
      if (!this.#stopped) console.error('outbox dispatcher:', (err as Error).message);
    }
  }

  async #pass(): Promise<number> {
    const transports = this.options.transports ?? {};
    const devOutbox = this.options.devOutbox ?? true;
    // A message whose link is dead is not sent late: failed, `expired` (any channel, any process).
    await sql`
      UPDATE outbox SET status = 'failed', last_error = 'expired', locked_until = NULL, claim_id = NULL
      WHERE status = 'pending' AND expires_at <= now() AND (locked_until IS NULL OR locked_until < now())
    `.execute(this.db);
    const channels = (['email', 'sms'] as const).filter((c) => devOutbox || transports[c]);
    if (channels.length === 0) return 0;
    const claim = randomUUID();
    // The lease outlasts any send (see the constructor): while it runs, no other process claims it.
    const claimed = await sql<{
      id: string;
      channel: Channel;
      to_address: string;
      subject: string | null;
      text_body: string;
      html_body: string | null;
      attempts: number;
    }>`
      UPDATE outbox SET locked_until = now() + ${this.#lease}::int * interval '1 second', attempts = attempts + 1, claim_id = ${claim}::uuid
      WHERE id IN (
        SELECT id FROM outbox
        WHERE status = 'pending' AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
          AND (expires_at IS NULL OR expires_at > now())
          AND channel IN (${sql.join(channels)})
        ORDER BY id LIMIT 20
        FOR UPDATE SKIP LOCKED
      )
      RETURNING id, channel, to_address, subject, text_body, html_body, attempts
    `.execute(this.db);
    for (const msg of claimed.rows) {
      const transport = transports[msg.channel];
      if (!transport) {
        await this.db
          .updateTable('outbox')
          .set({ status: 'sent', sent_at: new Date(), locked_until: null, claim_id: null, delivered_via: 'dev-outbox' })
          .where('id', '=', msg.id)
          .where('claim_id', '=', claim)
          .execute();
        continue;
      }
      try {
        await transport.send({ to: msg.to_address, subject: msg.subject, text: msg.text_body, html: msg.html_body });
        await this.db
          .updateTable('outbox')
          .set({ status: 'sent', sent_at: new Date(), locked_until: null, claim_id: null, delivered_via: transport.name, last_error: null })
          .where('id', '=', msg.id)
          .where('claim_id', '=', claim)
          .execute();
      } catch (err) {
        // Refused, timed out, 4xx: try again later, with a capped back-off, until the message expires.
        // Only a permanent answer (5xx) fails it now.
        const failed = isPermanent(err);
        const delay = Math.min(this.#maxBackoff, this.#backoff * 2 ** Math.min(30, msg.attempts - 1));
        await sql`
          UPDATE outbox SET
            status = ${failed ? 'failed' : 'pending'},
            locked_until = NULL,
            claim_id = NULL,
            last_error = ${reasonOf(err)},
            next_attempt_at = now() + ${delay}::float8 * interval '1 second'
          WHERE id = ${msg.id} AND claim_id = ${claim}::uuid
        `.execute(this.db);
      }
    }
    return claimed.rows.length;
  }
}

/**
 * The pending backlog, for readiness and metrics: how many messages wait and how old the oldest is
 * (seconds; null when none). A growing age means mail is not going out (SMTP down or unset).
 */
export async function outboxBacklog(db: Kysely<DB>): Promise<{ pending: number; oldestAgeSeconds: number | null }> {
  const row = await db
    .selectFrom('outbox')
    .select([sql<string>`count(*)`.as('pending'), sql<number | null>`extract(epoch FROM now() - min(created_at))`.as('oldest')])
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return { pending: Number(row.pending), oldestAgeSeconds: row.oldest === null ? null : Math.max(0, Math.floor(Number(row.oldest))) };
}

/** The development mailbox (`GET /dev/outbox`): the latest 200 messages, optionally to one address. */
export async function listOutbox(db: Kysely<DB>, to: string | undefined): Promise<OutboxList> {
  let q = db
    .selectFrom('outbox')
    .select(['id', 'channel', 'to_address', 'subject', 'text_body', 'html_body', 'status', 'created_at'])
    .orderBy('id', 'desc')
    .limit(200);
  if (to) q = q.where(sql<string>`lower(to_address)`, '=', to.trim().toLowerCase());
  const rows = await q.execute();
  return {
    messages: rows.map((r) => ({
      id: String(r.id),
      channel: r.channel,
      to: r.to_address,
      subject: r.subject,
      text: r.text_body,
      html: r.html_body,
      status: r.status,
      createdAt: new Date(r.created_at).toISOString(),
    })),
  };
}
