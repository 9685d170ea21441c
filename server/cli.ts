/**
 * `portal-api` — the reference portal API's command line (issue 12). Every command first brings the
 * database (DATABASE_URL, else PGlite in DATA_DIR) up to the current schema.
 *
 *   portal-api serve                       serve the API (HOST default 127.0.0.1, PORT default 8787)
 *   portal-api migrate                     only migrate
 *   portal-api org create --slug S --name N --portal-url URL --origin ORIGIN… [--tier basic|advanced]
 *                         [--modules a,b] [--match-policy email-and-name|verified-email]
 *   portal-api org update --slug S [--name N] [--portal-url URL] [--tier T] [--modules a,b] [--match-policy P]
 *   portal-api org list [--json]
 *   portal-api org origins add|remove --slug S ORIGIN…
 *   portal-api admin-key create --org S [--label L]   (prints the key once)
 *   portal-api admin-key list --org S
 *   portal-api admin-key revoke --org S (--id ID | --key KEY | --all)
 *   portal-api webhook add --org S --url URL [--events a,b]   (prints the signing secret once)
 *   portal-api webhook list --org S
 *   portal-api webhook remove --org S --id ID
 *   portal-api constituents import --org S FILE.csv [--batch N] [--rejects FILE.csv] [--json]
 *
 * Exit codes: 0 done, 1 failed, 2 usage or configuration mistake (one line each on stderr),
 * 3 import finished but some rows were rejected (listed on stderr, all of them with --rejects).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { databaseConfig, serveConfig, type Env } from './config.ts';
import { openDatabase, type Database } from './db/index.ts';
import { migrate } from './db/migrations.ts';
import { decodeCsv, ImportError, importConstituents, parseCsv, rejectedCsv } from './domain/imports.ts';
import {
  changeOrigins,
  createAdminKey,
  createOrg,
  findOrg,
  listAdminKeys,
  listOrgs,
  OrgInput,
  OrgUpdate,
  parseInput,
  ProvisioningError,
  revokeAdminKeys,
  updateOrg,
} from './domain/orgs.ts';
import { createEndpoint, deleteEndpoint, listEndpoints, WebhookError } from './domain/webhooks.ts';
import { startServer } from './index.ts';

export class UsageError extends Error {}

declare const __PORTAL_API_VERSION__: string | undefined;

/** The package version: set by the build; read from package.json when run from source. */
function version(): string {
  if (typeof __PORTAL_API_VERSION__ === 'string') return __PORTAL_API_VERSION__;
  return (JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

const USAGE = `usage: portal-api <command>
  serve | migrate
  org create --slug S --name N --portal-url URL --origin ORIGIN [--origin …] [--tier basic|advanced] [--modules a,b] [--match-policy P]
  org update --slug S [--name N] [--portal-url URL] [--tier T] [--modules a,b] [--match-policy P]
  org list [--json]
  org origins add|remove --slug S ORIGIN…
  admin-key create|list|revoke --org S [--label L | --id ID | --key KEY | --all]
  webhook add|list|remove --org S [--url URL] [--events a,b] [--id ID]
  constituents import --org S FILE.csv [--batch N] [--rejects OUT.csv] [--map 'Header=field'] [--json]
Environment: DATABASE_URL (else PGlite in DATA_DIR, default .data/pglite), DATABASE_SCHEMA; serve: HOST, PORT, NODE_ENV, … (docs/operations.md)`;

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

const stdio: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

type Options = NonNullable<ParseArgsConfig['options']>;

function args<const T extends Options>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true as const, strict: true as const });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

const csv = (v: string | undefined) =>
  v === undefined
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

/** Opens and migrates the database the environment names. */
export async function openMigrated(env: Env): Promise<Database> {
  const cfg = databaseConfig(env);
  if (cfg.errors.length) throw new UsageError(cfg.errors.join('\n'));
  const database = await openDatabase(cfg.value);
  try {
    await migrate(database.db);
  } catch (err) {
    await database.close().catch(() => {});
    throw err;
  }
  return database;
}

async function withDb<T>(env: Env, fn: (d: Database) => Promise<T>): Promise<T> {
  const d = await openMigrated(env);
  try {
    return await fn(d);
  } finally {
    await d.close();
  }
}

const FLAGS: Record<string, string> = {
  slug: '--slug',
  name: '--name',
  portalUrl: '--portal-url',
  origins: '--origin',
  tier: '--tier',
  modules: '--modules',
  matchPolicy: '--match-policy',
};
const flagFor = (k: string) => FLAGS[k] ?? `--${k}`;

async function orgCommand(argv: string[], env: Env, io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  const opts = {
    slug: { type: 'string' },
    name: { type: 'string' },
    'portal-url': { type: 'string' },
    origin: { type: 'string', multiple: true },
    tier: { type: 'string' },
    modules: { type: 'string' },
    'match-policy': { type: 'string' },
    json: { type: 'boolean' },
  } as const;
  if (sub === 'create') {
    const { values } = args(rest, opts);
    const missing = (['slug', 'name', 'portal-url', 'origin'] as const).filter((k) => values[k] === undefined);
    if (missing.length) throw new UsageError(missing.map((k) => `org create needs --${k}`).join('\n'));
    const input = parseInput(
      OrgInput,
      {
        slug: values.slug,
        name: values.name,
        portalUrl: values['portal-url'],
        origins: values.origin,
        ...(values.tier !== undefined ? { tier: values.tier } : {}),
        ...(values.modules !== undefined ? { modules: csv(values.modules) } : {}),
        ...(values['match-policy'] !== undefined ? { matchPolicy: values['match-policy'] } : {}),
      },
      flagFor,
    );
    const { org, adminKey } = await withDb(env, (d) => createOrg(d.db, input));
    if (values.json) io.out(JSON.stringify({ slug: org.slug, name: org.name, adminKey }));
    else {
      io.out(`created organization ${org.slug} (${org.name}), tier ${org.tier}, origins ${org.allowed_origins.join(' ')}`);
      io.out(`admin API key (shown once; store it now): ${adminKey}`);
    }
    return 0;
  }
  if (sub === 'update') {
    const { values } = args(rest, opts);
    if (!values.slug) throw new UsageError('org update needs --slug');
    if (values.origin) throw new UsageError('org update does not change origins: use org origins add|remove');
    const patch = parseInput(
      OrgUpdate,
      {
        ...(values.name !== undefined ? { name: values.name } : {}),
        ...(values['portal-url'] !== undefined ? { portalUrl: values['portal-url'] } : {}),
        ...(values.tier !== undefined ? { tier: values.tier } : {}),
        ...(values.modules !== undefined ? { modules: csv(values.modules) } : {}),
        ...(values['match-policy'] !== undefined ? { matchPolicy: values['match-policy'] } : {}),
      },
      flagFor,
    );
    const org = await withDb(env, (d) => updateOrg(d.db, values.slug!, patch));
    io.out(`updated organization ${org.slug}`);
    return 0;
  }
  if (sub === 'list') {
    const { values } = args(rest, { json: { type: 'boolean' } });
    const orgs = await withDb(env, (d) => listOrgs(d.db));
    if (values.json) io.out(JSON.stringify(orgs));
    else if (orgs.length === 0) io.out('no organizations yet (portal-api org create …)');
    else for (const o of orgs) io.out(`${o.slug}\t${o.name}\t${o.tier}\t${o.portalUrl}\t${o.origins.join(' ')}\t${o.adminKeys} admin key(s)`);
    return 0;
  }
  if (sub === 'origins') {
    const [op, ...more] = rest;
    if (op !== 'add' && op !== 'remove') throw new UsageError('org origins add|remove --slug S ORIGIN…');
    const { values, positionals } = args(more, { slug: { type: 'string' }, origin: { type: 'string', multiple: true } });
    if (!values.slug) throw new UsageError(`org origins ${op} needs --slug`);
    const origins = [...positionals, ...(values.origin ?? [])];
    const next = await withDb(env, (d) => changeOrigins(d.db, values.slug!, op, origins));
    io.out(`${values.slug} allowed origins: ${next.length ? next.join(' ') : '(none)'}`);
    return 0;
  }
  throw new UsageError('org create|update|list|origins');
}

async function adminKeyCommand(argv: string[], env: Env, io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  const { values } = args(rest, {
    org: { type: 'string' },
    label: { type: 'string' },
    id: { type: 'string' },
    key: { type: 'string' },
    all: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (!values.org) throw new UsageError(`admin-key ${sub ?? ''} needs --org SLUG`.replace('  ', ' '));
  if (sub === 'create') {
    const { id, key } = await withDb(env, (d) => createAdminKey(d.db, values.org!, values.label ?? ''));
    if (values.json) io.out(JSON.stringify({ id, key }));
    else io.out(`admin API key ${id} for ${values.org} (shown once; store it now): ${key}`);
    return 0;
  }
  if (sub === 'list') {
    const keys = await withDb(env, (d) => listAdminKeys(d.db, values.org!));
    if (values.json) io.out(JSON.stringify(keys));
    else
      for (const k of keys)
        io.out(
          `${k.id}\t${k.label || '-'}\tcreated ${k.createdAt}\t${k.revokedAt ? `revoked ${k.revokedAt}` : `last used ${k.lastUsedAt ?? 'never'}`}`,
        );
    return 0;
  }
  if (sub === 'revoke') {
    const n = await withDb(env, (d) =>
      revokeAdminKeys(d.db, values.org!, {
        ...(values.id ? { id: values.id } : {}),
        ...(values.key ? { key: values.key } : {}),
        ...(values.all ? { all: true } : {}),
      }),
    );
    if (n === 0) {
      io.err(`no live admin API key matched for ${values.org}`);
      return 1;
    }
    io.out(`revoked ${n} admin API key(s) for ${values.org}`);
    return 0;
  }
  throw new UsageError('admin-key create|list|revoke --org SLUG');
}

/** Serves until SIGTERM / SIGINT; resolves with the exit code. */
export async function serveCommand(env: Env, io: Io, defaults: { production: boolean; logRequests?: boolean }): Promise<number> {
  const cfg = serveConfig(env, defaults);
  if (cfg.errors.length) throw new UsageError(cfg.errors.join('\n'));
  let server;
  try {
    server = await startServer(cfg.value);
  } catch (err) {
    io.err(`portal API failed to start: ${(err as Error).message}`);
    return 1;
  }
  io.out(`portal API listening on ${server.url}`);
  const running = server;
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      running.close().then(
        () => resolve(0),
        (err: unknown) => {
          io.err(`shutdown after ${signal} failed: ${(err as Error).message}`);
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

async function webhookCommand(argv: string[], env: Env, io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  const { values } = args(rest, {
    org: { type: 'string' },
    url: { type: 'string' },
    events: { type: 'string' },
    id: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (!values.org) throw new UsageError(`webhook ${sub ?? ''} needs --org SLUG`.replace('  ', ' '));
  const org = values.org;
  const inOrg = async <T>(fn: (db: Database['db'], orgId: string) => Promise<T>) =>
    withDb(env, async (d) => {
      const o = await findOrg(d.db, org);
      if (!o) throw new ProvisioningError(`no organization with slug "${org}"`);
      try {
        return await fn(d.db, o.id);
      } catch (err) {
        if (err instanceof WebhookError) throw new ProvisioningError(err.message);
        throw err;
      }
    });
  if (sub === 'add') {
    if (!values.url) throw new UsageError('webhook add needs --url URL');
    const allowPrivate = env.WEBHOOK_ALLOW_PRIVATE === '1' || env.WEBHOOK_ALLOW_PRIVATE === 'true';
    const ep = await inOrg((db, orgId) => createEndpoint(db, orgId, values.url!, csv(values.events) ?? [], allowPrivate));
    if (values.json) io.out(JSON.stringify(ep));
    else {
      io.out(`webhook ${ep.id} for ${org}: ${ep.url} (${ep.events.length ? ep.events.join(', ') : 'every event'})`);
      io.out(`signing secret (shown once; store it in the receiver): ${ep.secret}`);
    }
    return 0;
  }
  if (sub === 'list') {
    const eps = await inOrg((db, orgId) => listEndpoints(db, orgId));
    if (values.json) io.out(JSON.stringify(eps));
    else for (const e of eps) io.out(`${e.id}\t${e.url}\t${e.events.length ? e.events.join(',') : '*'}`);
    return 0;
  }
  if (sub === 'remove') {
    if (!values.id) throw new UsageError('webhook remove needs --id ID');
    const ok = await inOrg((db, orgId) => deleteEndpoint(db, orgId, values.id!));
    if (!ok) {
      io.err(`portal-api: no webhook ${values.id} for ${org}`);
      return 1;
    }
    io.out(`removed webhook ${values.id}`);
    return 0;
  }
  throw new UsageError('webhook add|list|remove --org SLUG');
}

async function constituentsCommand(argv: string[], env: Env, io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'import') throw new UsageError('constituents import --org SLUG FILE.csv');
  const { values, positionals } = args(rest, {
    org: { type: 'string' },
    batch: { type: 'string' },
    rejects: { type: 'string' },
    map: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  });
  if (!values.org) throw new UsageError('constituents import needs --org SLUG');
  if (positionals.length !== 1) throw new UsageError('constituents import needs exactly one FILE.csv');
  const batch = values.batch === undefined ? undefined : Number(values.batch);
  if (batch !== undefined && (!Number.isInteger(batch) || batch < 1 || batch > 2000))
    throw new UsageError('--batch must be a whole number from 1 to 2000');
  const overrides: Record<string, string> = {};
  for (const m of values.map ?? []) {
    const i = m.lastIndexOf('=');
    if (i <= 0) throw new UsageError(`--map must be "Header=field", got "${m}"`);
    overrides[m.slice(0, i)] = m.slice(i + 1);
  }
  let text: string;
  try {
    text = decodeCsv(readFileSync(positionals[0]!));
  } catch (err) {
    throw new UsageError(`cannot read ${positionals[0]}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const rows = parseCsv(text);
  const report = await withDb(env, async (d) => {
    const org = await findOrg(d.db, values.org!);
    if (!org) throw new ProvisioningError(`no organization with slug "${values.org}"`);
    try {
      return await importConstituents(d.db, org, rows, { ...(batch ? { batchSize: batch } : {}), overrides });
    } catch (err) {
      if (err instanceof ImportError) throw new ProvisioningError(err.message);
      throw err;
    }
  });
  if (values.rejects) writeFileSync(values.rejects, rejectedCsv(rows[0] ?? [], report.rejected));
  if (values.json) io.out(JSON.stringify({ ...report, rejected: report.rejected.map(({ line, reasons }) => ({ line, reasons })) }));
  else {
    io.out(
      `imported ${report.inserted + report.updated} of ${report.rows} rows into ${report.org} (${report.inserted} new, ${report.updated} updated, ${report.memberships} memberships) in ${(report.durationMs / 1000).toFixed(1)} s; ${report.rejected.length} rejected`,
    );
    if (report.ignoredColumns.length) io.out(`ignored columns: ${report.ignoredColumns.join(', ')}`);
    for (const r of report.rejected.slice(0, 50)) io.err(`line ${r.line}: ${r.reasons.join('; ')}`);
    if (report.rejected.length > 50)
      io.err(`… and ${report.rejected.length - 50} more${values.rejects ? ` (all in ${values.rejects})` : ' (--rejects FILE.csv writes them all)'}`);
  }
  return report.rejected.length ? 3 : 0;
}

/** Runs one command; resolves with the process exit code. */
export async function runCli(
  argv: string[],
  env: Env = process.env,
  io: Io = stdio,
  defaults: { production: boolean; logRequests?: boolean } = { production: true },
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        args(rest, {});
        return await serveCommand(env, io, defaults);
      case 'migrate': {
        args(rest, {});
        await withDb(env, async () => {});
        io.out('database is up to date');
        return 0;
      }
      case 'org':
        return await orgCommand(rest, env, io);
      case 'admin-key':
        return await adminKeyCommand(rest, env, io);
      case 'constituents':
        return await constituentsCommand(rest, env, io);
      case 'webhook':
        return await webhookCommand(rest, env, io);
      case 'help':
      case '--help':
      case '-h':
      case undefined:
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      case '--version':
      case 'version':
        io.out(version());
        return 0;
      default:
        throw new UsageError(`unknown command "${command}"\n${USAGE}`);
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof ProvisioningError) {
      for (const line of err.message.split('\n')) io.err(`portal-api: ${line}`);
      return err instanceof UsageError ? 2 : 1;
    }
    io.err(`portal-api: ${(err as Error).message}`);
    return 1;
  }
}
