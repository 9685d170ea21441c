/**
 * The `constituents import` figure for `npm run bench:api` (issue 12): a generated CSV of
 * BENCH_IMPORT_ROWS rows (default 50 000; every tenth with a membership, a few deliberately bad)
 * imported with the real CLI (`portal-api constituents import`, as a process) into a new org, then
 * imported again (the idempotent re-run: every row an update).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './proc.ts';

export interface ImportFigure {
  db: string;
  rows: number;
  run: 'first' | 're-run';
  seconds: number;
  rowsPerSecond: number;
  inserted: number;
  updated: number;
  rejected: number;
}

function cli(args: string[], env: Record<string, string | undefined>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'server/bin.ts', ...args],
      { cwd: ROOT, env: { ...process.env, NODE_ENV: '', ...env }, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        // Exit 3: finished, some rows rejected (the bad rows this file has on purpose).
        if (err && (err as { code?: number }).code !== 3) reject(new Error(`portal-api ${args.join(' ')}: ${stderr || err.message}`));
        else resolve(stdout);
      },
    );
  });
}

export function makeCsv(rows: number): string {
  const lines = [
    'Constituent ID,First Name,Last Name,Email,Phone,Street,City,State,Zip,Country,Membership Level,Membership Start,Membership Expires',
  ];
  for (let i = 1; i <= rows; i++) {
    const bad = i % 5000 === 0; // a few rejected rows, as in real files
    const member = i % 10 === 0;
    lines.push(
      [
        `CRM-${i}`,
        `First${i}`,
        `Last${i % 997}`,
        bad ? 'not-an-email' : `person${i}@bench.example`,
        `555-${String(i % 10000).padStart(4, '0')}`,
        `${i} Main Street`,
        'Springfield',
        'IL',
        String(60000 + (i % 999)),
        'US',
        member ? 'Gold' : '',
        member ? '2026-01-01' : '',
        member ? '2027-01-01' : '',
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function benchImport(db: string, env: Record<string, string | undefined>, rows: number): Promise<ImportFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'portal-import-bench-'));
  const file = join(dir, 'constituents.csv');
  writeFileSync(file, makeCsv(rows));
  const e = { ...env, ...(env.DATABASE_URL ? {} : { DATA_DIR: join(dir, 'pglite') }) };
  try {
    await cli(
      [
        'org',
        'create',
        '--slug',
        'bench-import',
        '--name',
        'Import Bench',
        '--portal-url',
        'https://portal.bench.example/',
        '--origin',
        'https://www.bench.example',
      ],
      e,
    );
    const figures: ImportFigure[] = [];
    for (const run of ['first', 're-run'] as const) {
      const started = performance.now();
      const report = JSON.parse(await cli(['constituents', 'import', '--org', 'bench-import', file, '--json'], e)) as {
        inserted: number;
        updated: number;
        rejected: unknown[];
      };
      const seconds = (performance.now() - started) / 1000;
      figures.push({
        db,
        rows,
        run,
        seconds,
        rowsPerSecond: rows / seconds,
        inserted: report.inserted,
        updated: report.updated,
        rejected: report.rejected.length,
      });
    }
    return figures;
  } finally {
    if (env.DATABASE_URL) await cli(['migrate'], { ...e, DATABASE_SCHEMA_TEMPORARY: '1' }).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}
