/**
 * `portal-api constituents import` with the files organizations really have: Excel's semicolons and
 * Windows-1252 from a French office, UTF-16 "Unicode text", CRM header spellings, dates with times,
 * blank lines, broken rows. Each row is validated on its own, the rejects are reported (and written
 * formula-safe), a re-run adds nothing, and an imported person who signs up is matched. Runs the CLI
 * entry (`runCli`, as `portal-api` does) on PGlite, or on PostgreSQL in a schema of its own.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../../server/cli.ts';
import { startServer, type RunningServer } from '../../server/index.ts';
import { Client, uniqueEmail } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'portal-import-'));
const schema = `portal_import_${process.pid}_${Date.now().toString(36)}`;
const env: Record<string, string> = process.env.DATABASE_URL
  ? { DATABASE_URL: process.env.DATABASE_URL, DATABASE_SCHEMA: schema }
  : { DATA_DIR: join(dir, 'db') };

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, env, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

interface Report {
  rows: number;
  inserted: number;
  updated: number;
  memberships: number;
  rejected: { line: number; reasons: string[] }[];
  ignoredColumns: string[];
}
async function importFile(name: string, bytes: Uint8Array | string, ...extra: string[]): Promise<{ code: number; report: Report; err: string }> {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  const r = await cli('constituents', 'import', '--org', 'imp-org', file, '--json', ...extra);
  if (r.code !== 0 && r.code !== 3) assert.fail(`exit ${r.code}: ${r.err}`);
  return { code: r.code, report: JSON.parse(r.out) as Report, err: r.err };
}

before(async () => {
  const made = await cli(
    'org',
    'create',
    '--slug',
    'imp-org',
    '--name',
    'Import Org',
    '--portal-url',
    'https://portal.imp.example/',
    '--origin',
    'https://www.imp.example',
  );
  assert.equal(made.code, 0, made.err);
});
after(async () => {
  if (process.env.DATABASE_URL) await runCli(['migrate'], { ...env, DATABASE_SCHEMA_TEMPORARY: '1' }, { out: () => {}, err: () => {} });
  rmSync(dir, { recursive: true, force: true });
});

test('a French Excel export: semicolons, Windows-1252, accented headers, CRLF', async () => {
  const text =
    'Prénom;Nom;Courriel;Code postal;Ville;Pays\r\nHélène;Dupré;helene.dupre@imp.example;75011;Paris;fr\r\nJosé;Núñez;jose@imp.example;;Lyon;FR\r\n';
  const cp1252 = Buffer.from([...text].map((ch) => ({ é: 0xe9, ñ: 0xf1, ú: 0xfa })[ch] ?? ch.charCodeAt(0)));
  const { code, report } = await importFile('fr.csv', cp1252);
  assert.equal(code, 0);
  assert.equal(report.inserted, 2);
  const grid = await cli('constituents', 'import', '--org', 'imp-org', join(dir, 'fr.csv'), '--json');
  assert.equal((JSON.parse(grid.out) as Report).updated, 2, 'the same file again updates, adds nothing');
});

test('UTF-16 with a BOM, CRM header spellings, date-times, blank lines, unknown columns', async () => {
  const text =
    '\ufeffConstituent ID\tGiven Name\tSurname\tE-mail Address\tMembership Level\tMembership Start Date\tMembership Expires\tFavourite colour\n' +
    'X-1\tMiyu\tTanaka\tmiyu@imp.example\tPatron\t2026-01-01T00:00:00Z\t2027/1/1\tteal\n' +
    '\n' +
    'X-2\tOwen\tJones\towen@imp.example\t\t\t\t\n';
  const { code, report } = await importFile('u16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.slice(1), 'utf16le')]));
  assert.equal(code, 0, JSON.stringify(report.rejected));
  assert.deepEqual([report.inserted, report.memberships, report.rejected.length], [2, 1, 0]);
  assert.deepEqual(report.ignoredColumns, ['Favourite colour']);
});

test('row by row: bad rows are listed with line and reason, written formula-safe, the good ones imported', async () => {
  const csv = [
    'email,first_name,last_name,company,kind,country,membership,membership_end',
    'ok@imp.example,Ok,Person,,,GB,,',
    'not-an-email,Bad,Email,,,,,',
    'dates@imp.example,Day,First,,,,Gold,01/02/2027',
    ',"=HYPERLINK(""http://evil.example"")",X,,,,,',
    'company@imp.example,,,Acme Ltd,company,,,',
    'inv\u200bisible@imp.example,Zero\u200bWidth,Name,,,,,',
    'country@imp.example,Long,Country,,,France,,',
    'extra@imp.example,Too,Many,,,,,,surplus',
  ].join('\n');
  const rejects = join(dir, 'rejects.csv');
  const { code, report, err } = await importFile('mixed.csv', csv, '--rejects', rejects);
  assert.equal(code, 3, 'exit 3: done, with rejected rows');
  assert.equal(report.inserted, 2, 'the good individual and the company');
  const byLine = Object.fromEntries(report.rejected.map((r) => [r.line, r.reasons.join('; ')]));
  assert.deepEqual(Object.keys(byLine).map(Number), [3, 4, 5, 7, 8, 9]);
  assert.match(byLine[3]!, /email: not an email address/);
  assert.match(byLine[4]!, /membershipEnd: "01\/02\/2027" is not a date/);
  assert.match(byLine[5]!, /email: required/);
  assert.match(byLine[7]!, /invisible/);
  assert.match(byLine[8]!, /country/);
  assert.match(byLine[9]!, /cells/);
  const written = readFileSync(rejects, 'utf8');
  assert.match(written, /"'=HYPERLINK\(""http:\/\/evil\.example""\)"/, 'a formula in a rejected cell is made inert');
  assert.match(written, /rejected_because/);
  void err;
  const plain = await cli('constituents', 'import', '--org', 'imp-org', join(dir, 'mixed.csv'));
  assert.equal(plain.code, 3);
  assert.match(plain.out, /imported 2 of 8 rows into imp-org \(0 new, 2 updated/);
  assert.match(plain.err, /^line 3: email: not an email address$/m);
});

test('header problems stop the import before any row is written', async () => {
  const file = join(dir, 'noemail.csv');
  writeFileSync(file, 'first,last\nA,B\n');
  const r = await cli('constituents', 'import', '--org', 'imp-org', file);
  assert.equal(r.code, 1);
  assert.match(r.err, /no email column/);
  writeFileSync(file, 'email,e-mail,first,last\na@b.example,a@b.example,A,B\n');
  assert.match((await cli('constituents', 'import', '--org', 'imp-org', file)).err, /both map to email/);
  assert.match((await cli('constituents', 'import', '--org', 'no-such-org', file)).err, /no organization with slug "no-such-org"/);
  assert.equal((await cli('constituents', 'import', '--org', 'imp-org', join(dir, 'missing.csv'))).code, 2);
  const mapped = join(dir, 'mapped.csv');
  writeFileSync(mapped, 'Mail Perso,Prénom,Nom\nmapped@imp.example,Map,Ped\n');
  const r2 = await importFile('mapped.csv', readFileSync(mapped), '--map', 'Mail Perso=email');
  assert.equal(r2.report.inserted, 1);
});

test('an imported person who signs up is matched to the imported record, with its membership', async () => {
  const email = uniqueEmail('imported');
  const { report } = await importFile(
    'member.csv',
    `id,first_name,last_name,email,membership,membership_start,membership_end\nM-9,Rosa,Parks,${email},Gold,2026-01-01,2099-01-01\n`,
  );
  assert.equal(report.inserted, 1);
  let server: RunningServer | undefined;
  try {
    server = await startServer({
      port: 0,
      production: false,
      rateLimits: false,
      outboxPollMs: 50,
      ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL, schema } : { dataDir: env.DATA_DIR }),
    });
    const api = new Client(server.url, 'imp-org');
    const { result } = await api.newAccount({ firstName: 'Rosa', lastName: 'Parks', email });
    const body = result;
    assert.equal(body.outcome, 'linked');
    assert.deepEqual(
      body.profile.memberships.map((m) => [m.name, m.status]),
      [['Gold', 'current']],
    );
  } finally {
    await server?.close();
  }
});
