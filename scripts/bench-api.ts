/**
 * `npm run bench:api`: HTTP throughput and latency of the reference portal API (`server/`), with
 * autocannon on loopback against a real server process (`node --import tsx server/main.ts`), on
 * PGlite (in memory) and on PostgreSQL (DATABASE_URL, else the default local URL when reachable).
 * Each figure is printed beside a reference measured in the same run (issue 15, DESIGN §8):
 *
 *   - **argon2id bound** (reference for sign-in): cores ÷ one verify's time with the production
 *     parameters (server/domain/passwords.ts; the median turn's), measured by a bare child process on
 *     the server's own hashing pool; the same child also reports what that pool does with every core
 *     verifying at once;
 *   - **bare one-SELECT handler** (reference for `GET me` and refresh): a bare Hono server in a child
 *     process answering every request with one SELECT of the signed-in person's record (pg pool on
 *     the bench schema; an in-memory PGlite holding the same row).
 * The machine is shared, and its load moves within seconds: a figure and its reference are measured in
 * turns — BENCH_ROUNDS (default 3) slices of BENCH_SECONDS ÷ BENCH_ROUNDS each, alternating — so a
 * change of load falls on both alike. Req/s is requests over the slices' time; p50 is the median
 * slice's, p99 the worst slice's.
 *
 * Scenarios, BENCH_SECONDS each (default 6) after a 1 s warm-up:
 *   - sign-in (`POST sessions`): argon2id-bound, so few connections (BENCH_SIGNIN_CONNECTIONS, default 4);
 *   - `GET me` with a bearer token (checks the session, slides it once a minute): 50 connections;
 *   - refresh (`POST sessions/refresh`): 50 connections, each request with a live refresh token (the
 *     successor of an earlier answer: every request is a real rotation);
 *   - preflight (`OPTIONS`, an allowed Origin) and portal info (`GET portal`): 50 connections.
 * Rate limits are off (one client IP). Prints a Markdown table; asserts nothing.
 *
 * Then `portal-api constituents import` of BENCH_IMPORT_ROWS generated rows (default 50 000; 0 skips
 * it), first run and idempotent re-run, timed as a process from start to exit (scripts/lib/bench-import.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { benchImport, type ImportFigure } from './lib/bench-import.ts';
import { ROOT, startApi, stop } from './lib/proc.ts';

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
  duration: number;
}
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
  onResponse?: (status: number, body: string) => void;
}
interface AutocannonOptions {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  connections?: number;
  duration?: number;
  requests?: AutocannonRequest[];
}
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: AutocannonOptions) => Promise<AutocannonResult>;

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
/** Compared scenarios run in this many turns with their reference (BENCH_ROUNDS). */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
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
  /** The same-run reference this figure is compared with, and the goal for the ratio. */
  /** The same-run reference; `also`, a second one printed beside it (sign-in: the hashing pool alone). */
  versus?: { name: string; rps: number; goal: number; also?: { name: string; rps: number } };
}

// ----- child processes: the references ----------------------------------------------------------

/** Runs this file again as a child (`--reference …` or `--argon2-bound`); resolves with its first stdout line. */
function child(args: string[]): Promise<{ line: string; process: ChildProcess }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-api.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve({ line: out.slice(0, nl), process: proc });
    });
    proc.on('exit', (code) => reject(new Error(`bench child ${args.join(' ')} exited with ${code} before answering`)));
  });
}

interface Argon2Bound {
  cores: number;
  oneVerifyMs: number;
  /** cores ÷ one verify's time: sign-ins per second the machine could do if it did nothing but hash. */
  bound: number;
  /** What the pool did with `cores` verifies at a time (no HTTP, no database). */
  poolPerSecond: number;
}

/** Child: one verify's time (median of 9, in turn) and the pool's rate with every core verifying, production parameters. */
async function argon2BoundChild(): Promise<void> {
  const { HashPool, PASSWORD_HASH_OPTIONS } = await import('../server/domain/passwords.ts');
  const pool = new HashPool();
  const password = 'a long bench passphrase';
  const stored = await pool.hash(password, PASSWORD_HASH_OPTIONS);
  for (let i = 0; i < 2; i++) await pool.verify(stored, password);
  const times: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t = performance.now();
    await pool.verify(stored, password);
    times.push(performance.now() - t);
  }
  times.sort((x, y) => x - y);
  const oneVerifyMs = times[4]!;
  const n = pool.size * 8;
  const t = performance.now();
  await Promise.all(Array.from({ length: n }, () => pool.verify(stored, password)));
  const poolPerSecond = n / ((performance.now() - t) / 1000);
  const bound = (pool.size / oneVerifyMs) * 1000;
  process.stdout.write(`${JSON.stringify({ cores: pool.size, oneVerifyMs, bound, poolPerSecond } satisfies Argon2Bound)}\n`);
  process.exit(0);
}

async function measureBound(): Promise<Argon2Bound> {
  const { line, process: proc } = await child(['--argon2-bound']);
  await stop(proc);
  return JSON.parse(line) as Argon2Bound;
}

const RECORD_COLUMNS =
  'id, kind, first_name, last_name, company_name, email, phone, address_line1, address_line2, city, region, postal_code, country';

/**
 * Child: the bare reference handler. `GET /` answers with one SELECT of one record (`pg URL SCHEMA
 * ID`: the API's own row on PostgreSQL; `pglite JSON`: an in-memory PGlite holding a copy of it).
 */
async function referenceChild(kind: string, args: string[]): Promise<void> {
  const { Hono } = await import('hono');
  const { serve } = await import('@hono/node-server');
  let select: () => Promise<unknown>;
  if (kind === 'pg') {
    const [url, schema, id] = args as [string, string, string];
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: url, max: 10, options: `-c search_path=${schema}` });
    select = async () => (await pool.query(`SELECT ${RECORD_COLUMNS} FROM constituents WHERE id = $1`, [id])).rows[0];
  } else {
    const record = JSON.parse(args[0]!) as Record<string, string | null>;
    const { PGlite } = await import('@electric-sql/pglite');
    const db = new PGlite();
    await db.waitReady;
    const cols = RECORD_COLUMNS.split(', ');
    await db.exec(`CREATE TABLE constituents (${cols.map((c) => `${c} ${c === 'id' ? 'uuid PRIMARY KEY' : 'text'}`).join(', ')})`);
    await db.query(
      `INSERT INTO constituents VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
      cols.map((c) => record[c] ?? null),
    );
    select = async () => (await db.query(`SELECT ${RECORD_COLUMNS} FROM constituents WHERE id = $1`, [record.id])).rows[0];
  }
  const app = new Hono();
  app.all('*', async (c) => c.json(await select()));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
    process.stdout.write(`http://127.0.0.1:${info.port}/\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

async function startReference(args: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const { line, process: proc } = await child(['--reference', ...args]);
  return { url: line.trim(), stop: () => stop(proc) };
}

// ----- the bench ----------------------------------------------------------------------------------

async function run(opts: AutocannonOptions, connections: number) {
  await warmUp(opts, connections);
  return autocannon({ ...opts, connections, duration: SECONDS });
}

/** A short warm-up (JIT, pools, plan caches), not counted. */
const warmUp = (opts: AutocannonOptions, connections: number) => autocannon({ ...opts, connections, duration: 1 });

/** One of ROUNDS turns of a compared scenario: BENCH_SECONDS split in ROUNDS. */
const slice = (opts: AutocannonOptions, connections: number) =>
  autocannon({ ...opts, connections, duration: Math.max(1, Math.round(SECONDS / ROUNDS)) });

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The turns of one scenario as one result: requests summed over their time; latencies the median turn's (p99: the worst turn's). */
function combine(slices: AutocannonResult[]): AutocannonResult {
  const total = slices.reduce((n, r) => n + r.requests.total, 0);
  const seconds = slices.reduce((n, r) => n + r.duration, 0);
  return {
    requests: { average: total / seconds, p50: NaN, p99: NaN, total },
    latency: { average: NaN, p50: median(slices.map((r) => r.latency.p50)), p99: Math.max(...slices.map((r) => r.latency.p99)) },
    non2xx: slices.reduce((n, r) => n + r.non2xx, 0),
    errors: slices.reduce((n, r) => n + r.errors, 0),
    timeouts: slices.reduce((n, r) => n + r.timeouts, 0),
    duration: seconds,
  };
}

function ratioText(r: Row): string {
  const v = r.versus;
  if (!v) return '';
  return `${(r.rps / v.rps).toFixed(2)}× ${v.name}${v.also ? `, ${(r.rps / v.also.rps).toFixed(2)}× ${v.also.name}` : ''}`;
}

function rowOf(db: string, scenario: string, connections: number, r: AutocannonResult, versus?: Row['versus']): Row {
  const row: Row = {
    db,
    scenario,
    connections,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    failed: r.non2xx + r.errors + r.timeouts,
    ...(versus ? { versus } : {}),
  };
  const ratio = versus ? ` (${ratioText(row)})` : '';
  console.error(`${db} · ${scenario}: ${row.rps.toFixed(0)} req/s${ratio}, p50 ${row.p50} ms, p99 ${row.p99} ms, ${row.failed} failed`);
  return row;
}

async function benchOne(db: string, env: Record<string, string>, pg?: { url: string; schema: string }): Promise<Row[]> {
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
    type Auth = { session: { accessToken: string; refreshToken: string }; profile: { constituent: Record<string, unknown> } };
    const signInOnce = async () => {
      const r = await fetch(`${api.url}/v1/orgs/${ORG}/sessions`, { method: 'POST', headers: json, body: signInBody });
      if (r.status !== 200) throw new Error(`sign-in: ${r.status} ${await r.text()}`);
      return (await r.json()) as Auth;
    };
    const { session, profile } = await signInOnce();
    const rows: Row[] = [];

    // Sign-in against the argon2id bound, in turns: ROUNDS slices of each, so a change in the machine's
    // load (it is shared) falls on both alike.
    const signInOpts = { url: `${api.url}/v1/orgs/${ORG}/sessions`, method: 'POST', headers: json, body: signInBody };
    await warmUp(signInOpts, SIGNIN_CONNECTIONS);
    const bounds: Argon2Bound[] = [];
    const signInSlices: AutocannonResult[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      bounds.push(await measureBound());
      signInSlices.push(await slice(signInOpts, SIGNIN_CONNECTIONS));
    }
    const cores = bounds[0]!.cores;
    const oneMs = median(bounds.map((b) => b.oneVerifyMs));
    const bound = (cores / oneMs) * 1000;
    rows.push({
      db,
      scenario: `argon2id bound (${cores} cores ÷ ${oneMs.toFixed(1)} ms)`,
      connections: cores,
      rps: bound,
      p50: NaN,
      p99: NaN,
      requests: NaN,
      failed: 0,
    });
    rows.push({
      db,
      scenario: 'argon2id pool, every core verifying (no HTTP, no database)',
      connections: cores,
      rps: median(bounds.map((b) => b.poolPerSecond)),
      p50: NaN,
      p99: NaN,
      requests: NaN,
      failed: 0,
      versus: { name: 'the bound', rps: bound, goal: NaN },
    });
    rows.push(
      rowOf(db, 'sign-in (POST sessions)', SIGNIN_CONNECTIONS, combine(signInSlices), {
        name: 'the argon2id bound',
        rps: bound,
        goal: 0.9,
        also: { name: 'the pool', rps: median(bounds.map((b) => b.poolPerSecond)) },
      }),
    );

    // GET me and refresh against the bare one-SELECT handler, in turns as above.
    const c = profile.constituent;
    const address = (c.address ?? {}) as Record<string, string>;
    const record = {
      id: c.id,
      kind: c.kind,
      first_name: c.firstName,
      last_name: c.lastName,
      company_name: c.companyName,
      email: c.email,
      phone: c.phone,
      address_line1: address.line1 ?? null,
      address_line2: address.line2 ?? null,
      city: address.city ?? null,
      region: address.region ?? null,
      postal_code: address.postalCode ?? null,
      country: address.country ?? null,
    };
    const ref = await startReference(pg ? ['pg', pg.url, pg.schema, String(c.id)] : ['pglite', JSON.stringify(record)]);
    try {
      const meOpts = { url: `${api.url}/v1/orgs/${ORG}/me`, headers: { authorization: `Bearer ${session.accessToken}` } };
      // Refresh: every request carries a live token — the successor of an earlier answer — so each one
      // is a real rotation. A run's end drops the answers in flight (up to one token per connection):
      // the pool is topped up with fresh sign-ins before each run.
      const tokens: string[] = [];
      const topUp = async () => {
        while (tokens.length < 60) tokens.push(...(await Promise.all(Array.from({ length: 10 }, signInOnce))).map((a) => a.session.refreshToken));
      };
      const refreshOpts: AutocannonOptions = {
        url: api.url,
        requests: [
          {
            method: 'POST',
            path: `/v1/orgs/${ORG}/sessions/refresh`,
            headers: json,
            setupRequest: (req) => ({ ...req, body: JSON.stringify({ refreshToken: tokens.shift() ?? 'none-left' }) }),
            onResponse: (status, body) => {
              if (status === 200) tokens.push((JSON.parse(body) as Auth).session.refreshToken);
            },
          },
        ],
      };
      await warmUp({ url: ref.url }, 50);
      await warmUp(meOpts, 50);
      await topUp();
      await warmUp(refreshOpts, 50);
      const refSlices: AutocannonResult[] = [];
      const meSlices: AutocannonResult[] = [];
      const refreshSlices: AutocannonResult[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        refSlices.push(await slice({ url: ref.url }, 50));
        meSlices.push(await slice(meOpts, 50));
        await topUp();
        refreshSlices.push(await slice(refreshOpts, 50));
      }
      const refAll = combine(refSlices);
      const refRps = refAll.requests.average;
      rows.push({
        db,
        scenario: `bare Hono + ${pg ? 'pg' : 'PGlite'}, one SELECT (reference)`,
        connections: 50,
        rps: refRps,
        p50: refAll.latency.p50,
        p99: refAll.latency.p99,
        requests: refAll.requests.total,
        failed: refAll.non2xx + refAll.errors + refAll.timeouts,
      });
      rows.push(rowOf(db, 'GET me (bearer)', 50, combine(meSlices), { name: 'one SELECT', rps: refRps, goal: 0.8 }));
      rows.push(rowOf(db, 'refresh (POST sessions/refresh)', 50, combine(refreshSlices), { name: 'one SELECT', rps: refRps, goal: 0.8 }));

      const preflight = await run(
        {
          url: `${api.url}/v1/orgs/${ORG}/sessions`,
          method: 'OPTIONS',
          headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
        },
        50,
      );
      rows.push(rowOf(db, 'preflight (OPTIONS, allowed Origin)', 50, preflight, { name: 'one SELECT', rps: refRps, goal: NaN }));
      rows.push(rowOf(db, 'GET portal info', 50, await run({ url: `${api.url}/v1/orgs/${ORG}/portal` }, 50)));
    } finally {
      await ref.stop();
    }
    return rows;
  } finally {
    await api.stop();
  }
}

const fmt = (n: number) => (Number.isNaN(n) ? '' : String(n));

async function main(): Promise<void> {
  const load = loadavg().map((l) => l.toFixed(2));
  const rows: Row[] = [];
  const pgUrl = await postgresUrl();
  rows.push(...(await benchOne('PGlite', { DATA_DIR: 'memory' })));
  if (pgUrl) {
    const schema = `portal_bench_${randomBytes(4).toString('hex')}`;
    rows.push(
      ...(await benchOne('PostgreSQL', { DATABASE_URL: pgUrl, DATABASE_SCHEMA: schema, DATABASE_SCHEMA_TEMPORARY: '1' }, { url: pgUrl, schema })),
    );
  }

  const cpu = cpus();
  console.log(
    `\nportal API on loopback, autocannon ${SECONDS} s per scenario; ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${availableParallelism()} usable, Node ${process.version}; server, references and load generator share the machine; load average at start ${load.join(' ')}, at end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
  console.log('| Database | Scenario | Connections | Req/s | vs same-run reference | Goal | p50 ms | p99 ms | Requests | Non-2xx / errors |');
  console.log('| --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    const ratio = ratioText(r);
    const goal =
      r.versus && !Number.isNaN(r.versus.goal) ? `≥ ${r.versus.goal}` : r.db === 'PGlite' && r.scenario.startsWith('GET me') ? 'p99 < 200' : '';
    console.log(
      `| ${r.db} | ${r.scenario} | ${r.connections} | ${r.rps.toFixed(0)} | ${ratio} | ${goal} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.requests)} | ${r.failed} |`,
    );
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
}

const mode = process.argv[2];
if (mode === '--argon2-bound') await argon2BoundChild();
else if (mode === '--reference') await referenceChild(process.argv[3]!, process.argv.slice(4));
else await main();
