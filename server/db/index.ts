/**
 * Opens the database: PostgreSQL (through `pg`) when a URL is given, otherwise embedded PGlite in a
 * data directory or in memory. With `schema`, everything lives in that schema (created if missing;
 * `search_path` is set on every connection) so test runs never see each other's rows.
 */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { PoolClient } from 'pg';
import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import type { DB } from './schema.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import { openPGliteThread } from './pglite-thread.ts';

export type { DB } from './schema.ts';

export interface DatabaseOptions {
  /** postgres://… — use PostgreSQL instead of PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite data directory, or `memory`. */
  dataDir?: string | undefined;
  /** Schema to create (if missing) and use for everything. */
  schema?: string | undefined;
  /** Drop the schema when closing (tests that created their own schema). */
  dropSchemaOnClose?: boolean | undefined;
}

export interface Database {
  readonly db: Kysely<DB>;
  readonly kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function quoteSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`DATABASE_SCHEMA must match ${SCHEMA_NAME}`);
  return `"${schema}"`;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  const schema = opts.schema ? quoteSchema(opts.schema) : undefined;
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, schema, opts.dropSchemaOnClose === true);
  return openPGlite(opts.dataDir ?? '.data/pglite', schema, opts.dropSchemaOnClose === true);
}

async function openPostgres(url: string, schema: string | undefined, dropOnClose: boolean): Promise<Database> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5000,
    // Names this process's connections (per schema), so operators and fault tests can find them.
    application_name: schema ? `portal-api:${schema.slice(1, -1)}` : 'portal-api',
  });
  // An idle connection dropped by the server (restart, pg_terminate_backend, network) emits 'error'
  // on the pool: without a listener that would crash the process. The pool discards the connection
  // and opens a new one on the next request.
  pool.on('error', (err) => console.error(`database connection lost: ${err.message}`));
  // A connection dropped while checked out (mid-request) fails its query — the request answers 500
  // and its transaction never committed — and the client also emits 'error', which must not become
  // an uncaught exception. The pool discards the broken client when it is released.
  pool.on('connect', (client) => {
    client.on('error', () => {});
    prepareFunctionCalls(client);
  });
  // Fail loudly and early when the server is unreachable.
  try {
    const client = await pool.connect();
    try {
      if (schema) {
        try {
          await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        } catch (err) {
          // Two processes creating the same schema at once: one wins, the other sees a duplicate.
          const code = (err as { code?: string }).code;
          if (code !== '23505' && code !== '42P06') throw err;
        }
      }
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => {});
    throw new Error(`Cannot connect to DATABASE_URL: ${(err as Error).message}`);
  }
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({
      pool,
      onCreateConnection: async (conn) => {
        if (schema) await conn.executeQuery(CompiledQuery.raw(`SET search_path TO ${schema}`));
      },
    }),
  });
  return {
    db,
    kind: 'postgres',
    async close() {
      if (schema && dropOnClose) await db.executeQuery(CompiledQuery.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
      await db.destroy(); // ends the pool
    },
  };
}

/**
 * The calls of the API's own database functions (`SELECT portal_me(…)`, migrations.ts) become named
 * statements on each connection: PostgreSQL parses and plans such a call once per connection instead
 * of on every request (issue 15: `GET /me` and refresh are one such call each). Only these: their
 * texts are a fixed handful, so a connection keeps a bounded set. Any other statement is unnamed.
 */
const FUNCTION_CALL = /^\s*SELECT portal_[a-z_]+\(/;
/** Statement name by text, shared by every connection of the process (the texts are that handful). */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) statementNames.set(text, (name = `portal_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`));
  return name;
}
function prepareFunctionCalls(client: PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const [text, values] = args;
    if (args.length !== 2 || typeof text !== 'string' || !Array.isArray(values) || !FUNCTION_CALL.test(text)) return query(...args);
    return query({ name: statementName(text), text, values });
  };
}

async function openPGlite(dataDir: string, schema: string | undefined, dropOnClose: boolean): Promise<Database> {
  const memory = dataDir === 'memory' || dataDir === 'memory://';
  if (!memory) await mkdir(dataDir, { recursive: true });
  // On its own thread: a query does not stop the HTTP server's event loop (pglite-thread.ts).
  const pglite = await openPGliteThread(memory ? undefined : dataDir);
  if (schema) {
    await pglite.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema};`);
  }
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  let closed = false;
  return {
    db,
    kind: 'pglite',
    async close() {
      if (closed) return;
      closed = true;
      try {
        if (schema && dropOnClose) await pglite.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await db.destroy();
      } finally {
        await pglite.close();
      }
    },
  };
}
