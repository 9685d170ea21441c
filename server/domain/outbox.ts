/**
 * The transactional outbox (DESIGN §5): mail is inserted in the same transaction as the change that
 * causes it; the dispatcher claims pending rows (`FOR UPDATE SKIP LOCKED`, so several processes can
 * run one each), sends each through its channel's pluggable `Transport` (email: SMTP; SMS: whatever
 * provider the vendor plugs in) with exponential back-off, and never loses a message while the
 * provider is down. A channel without a transport: in development its messages are marked sent into
 * the development mailbox (`GET /dev/outbox`); in production (`devOutbox: false`) they stay `pending`,
 * untouched, until a process with a transport for that channel runs.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/index.ts';
import type { OutboxList } from '../../src/api/contract.ts';
import type { MailContent } from './mail.ts';

export async function enqueueEmail(
  trx: Kysely<DB> | Transaction<DB>,
  msg: { orgId: string | null; to: string; template: string; content: MailContent },
): Promise<void> {
  await trx
    .insertInto('outbox')
    .values({
      org_id: msg.orgId,
      channel: 'email',
      to_address: msg.to,
      subject: msg.content.subject,
      text_body: msg.content.text,
      html_body: msg.content.html,
      template: msg.template,
      locked_until: null,
      last_error: null,
      delivered_via: null,
      sent_at: null,
    })
    .execute();
}

/** Text messages: delivered by the `sms` transport (`startServer({ smsTransport })`), else the dev mailbox. */
export async function enqueueSms(
  trx: Kysely<DB> | Transaction<DB>,
  msg: { orgId: string | null; to: string; template: string; text: string },
): Promise<void> {
  await trx
    .insertInto('outbox')
    .values({
      org_id: msg.orgId,
      channel: 'sms',
      to_address: msg.to,
      subject: null,
      text_body: msg.text,
      html_body: null,
      template: msg.template,
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
  /** Resolves once the provider accepted the message; throws to retry later (back-off). */
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
  maxAttempts?: number;
  /** First retry delay in seconds; doubles every attempt. */
  backoffSeconds?: number;
}

export async function smtpTransport(url: string, from: string): Promise<Transport> {
  const { default: nodemailer } = await import('nodemailer');
  const transporter = nodemailer.createTransport(url);
  return {
    name: 'smtp',
    async send(msg) {
      await transporter.sendMail({
        from,
        to: msg.to,
        subject: msg.subject ?? '',
        text: msg.text,
        ...(msg.html ? { html: msg.html } : {}),
      });
    },
    close: () => transporter.close(),
  };
}

export class OutboxDispatcher {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  readonly #pollMs: number;
  readonly #maxAttempts: number;
  readonly #backoff: number;

  constructor(
    readonly db: Kysely<DB>,
    readonly options: DispatcherOptions = {},
  ) {
    this.#pollMs = options.pollMs ?? 1000;
    this.#maxAttempts = options.maxAttempts ?? 8;
    this.#backoff = options.backoffSeconds ?? 5;
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
    const channels = (['email', 'sms'] as const).filter((c) => devOutbox || transports[c]);
    if (channels.length === 0) return 0;
    const claimed = await sql<{
      id: string;
      channel: Channel;
      to_address: string;
      subject: string | null;
      text_body: string;
      html_body: string | null;
      attempts: number;
    }>`
      UPDATE outbox SET locked_until = now() + interval '60 seconds', attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM outbox
        WHERE status = 'pending' AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
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
          .set({ status: 'sent', sent_at: new Date(), locked_until: null, delivered_via: 'dev-outbox' })
          .where('id', '=', msg.id)
          .execute();
        continue;
      }
      try {
        await transport.send({ to: msg.to_address, subject: msg.subject, text: msg.text_body, html: msg.html_body });
        await this.db
          .updateTable('outbox')
          .set({ status: 'sent', sent_at: new Date(), locked_until: null, delivered_via: transport.name, last_error: null })
          .where('id', '=', msg.id)
          .execute();
      } catch (err) {
        const failed = msg.attempts >= this.#maxAttempts;
        const delay = this.#backoff * 2 ** (msg.attempts - 1);
        // Only the error's class of problem, never credentials or message bodies.
        const reason = String((err as { code?: unknown }).code ?? (err as Error).name ?? 'error').slice(0, 100);
        await sql`
          UPDATE outbox SET
            status = ${failed ? 'failed' : 'pending'},
            locked_until = NULL,
            last_error = ${reason},
            next_attempt_at = now() + ${delay}::int * interval '1 second'
          WHERE id = ${msg.id}
        `.execute(this.db);
      }
    }
    return claimed.rows.length;
  }
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
