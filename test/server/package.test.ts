/**
 * Issue 12, "done when": the API packed (`npm pack -w server`), installed with `--omit=dev` into an
 * empty folder, and run with plain `node` — `portal-api org create` + `constituents import` +
 * `serve` give a working organization with no demo data and no /dev routes; /healthz and /readyz
 * answer; a webhook arrives signed. On PGlite, and on PostgreSQL (a schema of its own) when
 * DATABASE_URL is set.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ConstituentGrid } from '../../src/api/admin.ts';
import { freePort, waitFor } from './helpers.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'portal-api-pkg-'));
const app = join(dir, 'app');
const bin = join(app, 'node_modules', 'portal-api', 'dist', 'bin.js');
const schema = `portal_pkg_${process.pid}_${Date.now().toString(36)}`;

/** The environment an operator would give it: no NODE_ENV (production is the default). */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
  if (process.env.DATABASE_URL) Object.assign(e, { DATABASE_URL: process.env.DATABASE_URL, DATABASE_SCHEMA: schema });
  else e.DATA_DIR = join(dir, 'data');
  return e;
}

async function cli(args: string[], extra: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: app, env: env(extra) }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

before(async () => {
  await run('npm', ['pack', '-w', 'server', '--pack-destination', dir, '--silent'], { cwd: ROOT, maxBuffer: 16 << 20 });
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  assert.ok(tgz, 'npm pack made a tarball');
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'deploy', private: true }));
  // From the local npm cache where it can (the registry only for what the cache lacks).
  await run('npm', ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(dir, tgz)], {
    cwd: app,
    maxBuffer: 16 << 20,
  });
});

after(async () => {
  if (process.env.DATABASE_URL) {
    // Drop this run's schema: a last command with DATABASE_SCHEMA_TEMPORARY drops it on close.
    await cli(['migrate'], { DATABASE_SCHEMA_TEMPORARY: '1' });
  }
  rmSync(dir, { recursive: true, force: true });
});

test('the tarball holds built JavaScript only, and installs without dev dependencies', () => {
  assert.ok(existsSync(bin), 'dist/bin.js');
  assert.ok(existsSync(join(app, 'node_modules', '.bin', 'portal-api')), 'the portal-api bin is linked');
  const pkgDir = join(app, 'node_modules', 'portal-api');
  assert.deepEqual(readdirSync(pkgDir).sort(), ['README.md', 'dist', 'package.json']);
  assert.ok(!readdirSync(join(pkgDir, 'dist')).some((f) => f.endsWith('.ts')), 'no TypeScript sources');
  for (const dev of ['tsx', 'typescript', 'vite', 'lit', 'esbuild', '@types/pg'])
    assert.ok(!existsSync(join(app, 'node_modules', dev)), `${dev} not installed`);
  for (const dep of ['hono', 'kysely', 'pg', '@electric-sql/pglite', 'zod'])
    assert.ok(existsSync(join(app, 'node_modules', dep)), `${dep} installed`);
});

test('configuration mistakes: one clear line each, exit 2, nothing started', async () => {
  const r = await cli(['serve'], { PORT: 'eighty', NODE_ENV: 'staging', SMTP_URL: 'mail.example.org' });
  assert.equal(r.code, 2, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 3, r.stderr);
  assert.ok(lines.some((l) => /^portal-api: PORT must be a whole number/.test(l)));
  assert.ok(lines.some((l) => /^portal-api: NODE_ENV must be production or development/.test(l)));
  assert.ok(lines.some((l) => /^portal-api: SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/.test(l)));
  const bad = await cli([
    'org',
    'create',
    '--slug',
    'Bad Slug',
    '--name',
    'X',
    '--portal-url',
    'ftp://x',
    '--origin',
    'https://www.example.org/path',
  ]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--slug must be lower-case/);
  assert.match(bad.stderr, /--portal-url must be an http/);
  assert.match(bad.stderr, /--origin must be an exact origin/);
  assert.equal((await cli(['frobnicate'])).code, 2);
});

test('org create + constituents import + serve: a working org, no demo data, no /dev, signed webhooks', async () => {
  const made = await cli([
    'org',
    'create',
    '--slug',
    'pkg-org',
    '--name',
    'Package Org',
    '--portal-url',
    'https://portal.pkg.example/',
    '--origin',
    'https://www.pkg.example',
    '--tier',
    'basic',
    '--json',
  ]);
  assert.equal(made.code, 0, made.stderr);
  const { adminKey } = JSON.parse(made.stdout) as { adminKey: string };
  assert.match(adminKey, /^pak_/);
  assert.equal(
    (await cli(['org', 'create', '--slug', 'pkg-org', '--name', 'Again', '--portal-url', 'https://x.example/', '--origin', 'https://x.example']))
      .code,
    1,
    'slugs are unique',
  );
  assert.equal((await cli(['org', 'origins', 'add', '--slug', 'pkg-org', 'https://shop.pkg.example'])).code, 0);
  const listed = JSON.parse((await cli(['org', 'list', '--json'])).stdout) as { slug: string; origins: string[] }[];
  assert.deepEqual(
    listed.map((o) => o.slug),
    ['pkg-org'],
    'no demo orgs',
  );
  assert.deepEqual(listed[0]!.origins, ['https://www.pkg.example', 'https://shop.pkg.example']);

  const csv = join(dir, 'people.csv');
  writeFileSync(
    csv,
    [
      'Constituent ID,First Name,Last Name,Email Address,Phone,Zip,Membership Level,Membership Expires',
      'C-1,Ada,Lovelace,ada@pkg.example,555-0101,10001,Gold,2030-01-01',
      'C-2,Grace,Hopper,grace@pkg.example,,,,',
      'C-3,Ada,Lovelace,ada.l@pkg.example,,,,',
      'C-4,No,Email,,,,,',
    ].join('\n'),
  );
  const first = await cli(['constituents', 'import', '--org', 'pkg-org', csv, '--json']);
  assert.equal(first.code, 3, `some rows rejected: ${first.stderr}`);
  const r1 = JSON.parse(first.stdout) as { inserted: number; updated: number; memberships: number; rejected: { line: number; reasons: string[] }[] };
  assert.deepEqual([r1.inserted, r1.updated, r1.memberships], [3, 0, 1]);
  assert.deepEqual(r1.rejected, [{ line: 5, reasons: ['email: required'] }]);
  const again = JSON.parse((await cli(['constituents', 'import', '--org', 'pkg-org', csv, '--json'])).stdout) as {
    inserted: number;
    updated: number;
  };
  assert.deepEqual([again.inserted, again.updated], [0, 3], 'a re-run adds nothing');

  const hookPort = await freePort();
  const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(hookPort, '127.0.0.1', r));
  const hook = JSON.parse((await cli(['webhook', 'add', '--org', 'pkg-org', '--url', `http://127.0.0.1:${hookPort}/crm`, '--json'])).stdout) as {
    secret: string;
  };

  const child = spawn(process.execPath, [bin, 'serve'], { cwd: app, env: env({ PORT: '0' }), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  try {
    const url = await waitFor(
      'the ready line',
      async () =>
        /portal API listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ??
        (child.exitCode !== null ? Promise.reject(new Error(err)) : undefined),
      60_000,
    );
    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${url}${path}`, { headers });
    assert.equal((await get('/healthz')).status, 200);
    const ready = await get('/readyz');
    assert.equal(ready.status, 200, await ready.clone().text());
    const portal = await get('/v1/orgs/pkg-org/portal', { origin: 'https://www.pkg.example' });
    assert.equal(portal.status, 200);
    assert.equal(portal.headers.get('access-control-allow-origin'), 'https://www.pkg.example');
    assert.equal(((await portal.json()) as { tier: string }).tier, 'basic');
    assert.equal((await get('/v1/orgs/pkg-org/portal', { origin: 'https://evil.example' })).status, 403);
    assert.equal((await get('/v1/orgs/riverside-arts/portal')).status, 404, 'no demo data');
    assert.equal((await get('/dev/outbox')).status, 404, 'no /dev routes');
    assert.equal((await get('/v1/orgs/pkg-org/admin/constituents')).status, 401);
    assert.equal((await get('/v1/orgs/pkg-org/admin/constituents', { authorization: 'Bearer dev-admin-key-riverside-arts' })).status, 401);
    const grid = ConstituentGrid.parse(await (await get('/v1/orgs/pkg-org/admin/constituents', { authorization: `Bearer ${adminKey}` })).json());
    assert.equal(grid.total, 3);
    assert.ok(grid.constituents.every((c) => c.source === 'import'));
    const openapi = (await (await get('/v1/openapi.json')).json()) as { paths: Record<string, unknown> };
    assert.ok(!Object.keys(openapi.paths).some((p) => p.startsWith('/dev')), 'OpenAPI lists no /dev route');

    // Staff merge the duplicate Ada: the CRM hears of it, signed.
    const [adaOld, adaNew] = grid.constituents.filter((c) => c.firstName === 'Ada');
    const merge = await fetch(`${url}/v1/orgs/pkg-org/admin/merge`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sourceId: adaOld!.id, targetId: adaNew!.id }),
    });
    assert.equal(merge.status, 200);
    await waitFor('the webhook', async () => (received.length > 0 ? true : undefined), 30_000);
    const got = received[0]!;
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(got.headers['portal-webhook-signature'])) ?? [];
    assert.equal(v1, createHmac('sha256', hook.secret).update(`${t}.${got.body}`).digest('hex'));
    assert.equal((JSON.parse(got.body) as { type: string }).type, 'constituents.merged');

    // Structured request logs on stdout (production default), without the admin key.
    assert.ok(out.split('\n').some((l) => l.startsWith('{') && (JSON.parse(l) as { msg: string }).msg === 'request'));
    assert.ok(!out.includes(adminKey));
  } finally {
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0, `clean exit on SIGTERM: ${err}`);
    await new Promise<void>((r) => receiver.close(() => r()));
  }
});
