/** Readiness (`GET /readyz`): the database answers, its schema is current, and how much work waits. */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { pendingMigrations } from '../db/migrations.ts';

export interface Readiness {
  ready: boolean;
  checks: {
    database: { ok: boolean; error?: string };
    migrations: { ok: boolean; pending: number[] };
    outbox: { pending: number; oldestPendingSeconds: number | null; failed: number };
    webhooks: { pending: number; oldestPendingSeconds: number | null; failed: number };
  };
}

async function backlog(db: Kysely<DB>, table: 'outbox' | 'webhook_deliveries') {
  const r = await sql<{ pending: string; failed: string; oldest: number | null }>`
    SELECT count(*) FILTER (WHERE status = 'pending') AS pending,
           count(*) FILTER (WHERE status = 'failed') AS failed,
           extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'pending'))::float8 AS oldest
    FROM ${sql.table(table)}`.execute(db);
  const row = r.rows[0]!;
  return {
    pending: Number(row.pending),
    oldestPendingSeconds: row.oldest === null ? null : Math.round(Number(row.oldest)),
    failed: Number(row.failed),
  };
}

/**
 * Never throws: a database that does not answer is `ready: false` with the reason (no connection
 * string or credentials in it). A backlog is reported, not judged — alert on it (docs/operations.md).
 */
export async function readiness(db: Kysely<DB>): Promise<Readiness> {
  const empty = { pending: 0, oldestPendingSeconds: null, failed: 0 };
  try {
    await sql`SELECT 1`.execute(db);
  } catch (err) {
    const message = (err as Error).message.replace(/postgres(ql)?:\/\/\S+/g, 'postgres://…');
    return {
      ready: false,
      checks: { database: { ok: false, error: message }, migrations: { ok: false, pending: [] }, outbox: empty, webhooks: empty },
    };
  }
  const pending = await pendingMigrations(db).catch(() => [-1]);
  const [outbox, webhooks] = await Promise.all([backlog(db, 'outbox').catch(() => empty), backlog(db, 'webhook_deliveries').catch(() => empty)]);
  const migrationsOk = pending.length === 0;
  return {
    ready: migrationsOk,
    checks: { database: { ok: true }, migrations: { ok: migrationsOk, pending }, outbox, webhooks },
  };
}
