/**
 * `npm run bench:api`: HTTP throughput and latency of the reference portal API (`server/`), with
 * autocannon on loopback against a real server process (`node --import tsx server/main.ts`), on
 * PGlite (in memory) and on PostgreSQL (DATABASE_URL, else the default local URL when reachable).
 *
 * Scenarios, each for BENCH_SECONDS (default 5):
 *   - sign-in (`POST sessions`): argon2id-bound, so few connections (BENCH_SIGNIN_CONNECTIONS, default 4);
 *   - `GET me` with a bearer token (checks and slides the session row): 50 connections;
 *   - portal info (`GET portal`): 50 connections.
 * Rate limits are off (one client IP). Prints a Markdown table; asserts nothing.
 *
 * Then `portal-api constituents import` of BENCH_IMPORT_ROWS generated rows (default 50 000; 0 skips
 * it), first run and idempotent re-run, timed as a process from start to exit (scripts/lib/bench-import.ts).
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { benchImport, type ImportFigure } from './lib/bench-import.ts';
import { startApi } from './lib/proc.ts';

interface Histogram {
  average: number;
  p50: number;
  p99: number;
}
interface AutocannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface AutocannonOptions {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  connections?: number;
  duration?: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: AutocannonOptions) => Promise<AutocannonResult>;

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const SIGNIN_CONNECTIONS = Number(process.env.BENCH_SIGNIN_CONNECTIONS ?? 4);
const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const ORG = 'riverside-arts';

/** A real API process: rate limits off (every request comes from one IP), a free port. */
const startBenchApi = (env: Record<string, string>) => startApi({ PORT: '0', RATE_LIMITS: 'off', NODE_ENV: 'development', DATABASE_URL: '', ...env });

async function postgresUrl(): Promise<string | undefined> {
  const url = process.env.DATABASE_URL || DEFAULT_PG_URL;
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return url;
  } catch (err) {
    if (process.env.DATABASE_URL) throw new Error(`DATABASE_URL is set but unreachable: ${(err as Error).message}`);
    console.log(`(PostgreSQL not reachable at ${DEFAULT_PG_URL}: PGlite only)`);
    return undefined;
  }
}

interface Row {
  db: string;
  scenario: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  failed: number;
}

async function benchOne(db: string, env: Record<string, string>): Promise<Row[]> {
  const api = await startBenchApi(env);
  try {
    const email = `bench.${randomBytes(4).toString('hex')}@example.test`;
    const password = 'a long bench passphrase';
    const json = { 'content-type': 'application/json' };
    const fixture = await fetch(`${api.url}/dev/orgs/${ORG}/fixtures`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ firstName: 'Bench', lastName: 'Mark', email, password }),
    });
    if (fixture.status !== 201) throw new Error(`fixture: ${fixture.status} ${await fixture.text()}`);
    const signInBody = JSON.stringify({ email, password });
    const signIn = await fetch(`${api.url}/v1/orgs/${ORG}/sessions`, { method: 'POST', headers: json, body: signInBody });
    const { session } = (await signIn.json()) as { session: { accessToken: string } };

    const scenarios: { name: string; connections: number; opts: Omit<AutocannonOptions, 'connections' | 'duration'> }[] = [
      {
        name: 'sign-in (POST sessions)',
        connections: SIGNIN_CONNECTIONS,
        opts: { url: `${api.url}/v1/orgs/${ORG}/sessions`, method: 'POST', headers: json, body: signInBody },
      },
      {
        name: 'GET me (bearer)',
        connections: 50,
        opts: { url: `${api.url}/v1/orgs/${ORG}/me`, headers: { authorization: `Bearer ${session.accessToken}` } },
      },
      { name: 'GET portal info', connections: 50, opts: { url: `${api.url}/v1/orgs/${ORG}/portal` } },
    ];
    const rows: Row[] = [];
    for (const s of scenarios) {
      // A short warm-up (JIT, pool, PGlite caches), then the measured run.
      await autocannon({ ...s.opts, connections: s.connections, duration: 1 });
      const r = await autocannon({ ...s.opts, connections: s.connections, duration: SECONDS });
      rows.push({
        db,
        scenario: s.name,
        connections: s.connections,
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        requests: r.requests.total,
        failed: r.non2xx + r.errors + r.timeouts,
      });
      console.error(`${db} · ${s.name}: ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms`);
    }
    return rows;
  } finally {
    await api.stop();
  }
}

const rows: Row[] = [];
rows.push(...(await benchOne('PGlite', { DATA_DIR: 'memory' })));
const pgUrl = await postgresUrl();
if (pgUrl) {
  const schema = `portal_bench_${randomBytes(4).toString('hex')}`;
  rows.push(...(await benchOne('PostgreSQL', { DATABASE_URL: pgUrl, DATABASE_SCHEMA: schema, DATABASE_SCHEMA_TEMPORARY: '1' })));
}

const cpu = cpus();
console.log(
  `\nportal API on loopback, autocannon ${SECONDS} s per scenario; ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}; server and load generator share the machine\n`,
);
console.log('| Database | Scenario | Connections | Req/s | p50 ms | p99 ms | Requests | Non-2xx / errors |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(`| ${r.db} | ${r.scenario} | ${r.connections} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.requests} | ${r.failed} |`);
}

const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 50_000);
if (IMPORT_ROWS > 0) {
  const figures: ImportFigure[] = [];
  if (pgUrl)
    figures.push(
      ...(await benchImport(
        'PostgreSQL',
        { DATABASE_URL: pgUrl, DATABASE_SCHEMA: `portal_bench_import_${randomBytes(4).toString('hex')}` },
        IMPORT_ROWS,
      )),
    );
  figures.push(...(await benchImport('PGlite', { DATABASE_URL: '' }, IMPORT_ROWS)));
  console.log(`\nportal-api constituents import (CSV, one transaction per 1000 rows), whole command from start to exit\n`);
  console.log('| Database | Rows | Run | Seconds | Rows/s | New | Updated | Rejected |');
  console.log('| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const f of figures) {
    console.log(
      `| ${f.db} | ${f.rows} | ${f.run} | ${f.seconds.toFixed(1)} | ${f.rowsPerSecond.toFixed(0)} | ${f.inserted} | ${f.updated} | ${f.rejected} |`,
    );
  }
}
