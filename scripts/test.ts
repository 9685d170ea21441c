/**
 * `npm test`: every suite, in order, then one closing line `N passed, N failed` summed over all of
 * them (the line CI reads). Exits non-zero when anything failed.
 *
 *   1. type check (tsc, strict)                      — counted as one check
 *   2. server tests (node:test) on PGlite             — and again on PostgreSQL when DATABASE_URL is set
 *   3. element tests (web-test-runner)                — against the real reference API, in one run
 *      driving Chromium, Firefox ESR and WebKitGTK; one summary line per engine
 *   4. end-to-end journey (playwright-core, Chromium) — against the running demo
 *   4b. cross-engine journey (Firefox over BiDi, WebKit over WebDriver) — test/journey-engines
 *   5. every Storybook story (static build, Chromium) — renders and its play function passes
 *   6. lint: ESLint, Prettier (format check) and lit-analyzer — one check each
 *   7. the package (node:test, test/package): packs the tarball, asserts its files, type-checks and
 *      builds React-TS and Vue-TS apps against it, loads the one-file bundle on a bare page
 *
 * `npm test -- server browser` runs only the named suites (typecheck, server, browser, e2e, engines,
 * stories, lint, package). `WTR_BROWSERS=firefox npm test -- browser` limits the element tests to some engines.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, run } from './lib/proc.ts';

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}
const results: Array<[string, Counts, number]> = [];
const tmp = join(ROOT, '.tmp');
mkdirSync(tmp, { recursive: true });
const only = new Set(process.argv.slice(2));
const wanted = (name: string) => only.size === 0 || only.has(name);
const node = process.execPath;

/** Reads the closing summary of node's TAP reporter. A suite that printed no summary counts as one failure. */
function tapCounts(file: string, exitCode: number): Counts {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const num = (key: string) => Number(new RegExp(`^# ${key} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
  const passed = num('pass');
  // A `todo` test is a known defect: it runs, fails, and node counts it as neither. We count it failed.
  const failed = num('fail') + (num('cancelled') || 0) + (num('todo') || 0);
  if (Number.isNaN(passed) || Number.isNaN(failed)) return { passed: 0, failed: 1, skipped: 0 };
  // A non-zero exit with no failing test (a crash after the run, a leaked handle) still fails the suite.
  return { passed, failed: failed || (exitCode === 0 ? 0 : 1), skipped: num('skipped') || 0 };
}

async function suite(name: string, fn: () => Promise<Counts>) {
  const started = Date.now();
  console.log(`\n=== ${name}`);
  const counts = await fn();
  const secs = (Date.now() - started) / 1000;
  results.push([name, counts, secs]);
  console.log(
    `=== ${name}: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''} (${secs.toFixed(1)} s)`,
  );
}

/** Node 20's `--test` does not expand globs itself, so the suites name their files. */
/** `*.postgres.test.ts` files need a real PostgreSQL server, so they run only with DATABASE_URL. */
function testFiles(dir: string, env: Record<string, string | undefined>): string[] {
  return readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.test.ts') && (env.DATABASE_URL || !f.endsWith('.postgres.test.ts')))
    .sort()
    .map((f) => join(dir, f));
}

async function nodeTests(label: string, dir: string, env: Record<string, string | undefined>) {
  const files = testFiles(dir, { ...process.env, ...env });
  if (files.length === 0) return { passed: 0, failed: 1, skipped: 0 };
  const tap = join(tmp, `${label.replace(/\W+/g, '-')}.tap`);
  rmSync(tap, { force: true });
  const code = await run(
    node,
    [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=1',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...files,
    ],
    { env: { ...process.env, ...env } },
  );
  return tapCounts(tap, code);
}

if (wanted('typecheck')) {
  await suite('type check (tsc --strict)', async () => {
    const code = await run(node, [join(ROOT, 'node_modules/typescript-native/bin/tsc'), '-p', 'tsconfig.json', '--noEmit']);
    return { passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 };
  });
}

if (wanted('server')) {
  const { DATABASE_URL: pgUrl, ...withoutPg } = process.env;
  await suite('server tests on PGlite', () => nodeTests('server-pglite', 'test/server', { ...withoutPg, DATABASE_URL: undefined }));
  if (pgUrl) {
    await suite('server tests on PostgreSQL', () => nodeTests('server-postgres', 'test/server', { DATABASE_URL: pgUrl }));
  }
}

if (wanted('browser')) {
  // One wtr run drives the three engines against one pair of API processes (two engines at a time,
  // see web-test-runner.config.mjs); each engine gets its own summary line.
  const engines = (process.env.WTR_BROWSERS ?? 'chromium,firefox,webkit')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const labels: Record<string, string> = { chromium: 'Chromium', firefox: 'Firefox ESR', webkit: 'WebKitGTK' };
  const started = Date.now();
  console.log(`\n=== element tests (web-test-runner) in ${engines.map((e) => labels[e] ?? e).join(', ')}`);
  const out = join(tmp, 'wtr-results.json');
  rmSync(out, { force: true });
  const code = await run(node, [join(ROOT, 'node_modules/@web/test-runner/dist/bin.js')], {
    env: { ...process.env, WTR_BROWSERS: engines.join(','), WTR_RESULTS: out },
  });
  const secs = (Date.now() - started) / 1000;
  const c = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Counts & { engines?: Record<string, Counts> }) : undefined;
  // A run that failed with no failing test (a crash, an engine that never started) still fails: once.
  let unexplained = code !== 0 && engines.every((engine) => (c?.engines?.[engine]?.failed ?? 0) === 0);
  for (const engine of engines) {
    const name = `element tests in ${labels[engine] ?? engine} (web-test-runner)`;
    const e = c?.engines?.[engine];
    // An engine that reported nothing did not run: one failure.
    const counts = e ? { passed: e.passed, failed: e.failed + (unexplained ? 1 : 0), skipped: e.skipped } : { passed: 0, failed: 1, skipped: 0 };
    if (!e || unexplained) unexplained = false;
    results.push([name, counts, secs]);
    console.log(
      `=== ${name}: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''} (${secs.toFixed(1)} s, one run)`,
    );
  }
}

if (wanted('e2e')) {
  await suite('end-to-end journey (playwright-core, Chromium)', () => nodeTests('e2e', 'test/e2e', {}));
}

if (wanted('engines')) {
  await suite('cross-engine journey (Firefox ESR, WebKitGTK)', () => nodeTests('engines', 'test/journey-engines', {}));
}

// Lint only reads files and takes a core for ~20 s, while the story suite mostly waits on its pages:
// the two run side by side, lint's output held back until it is done (so the logs do not interleave).
const lintSuite = async () => {
  await suite('lint (ESLint, Prettier, lit-analyzer)', async () => {
    const bin = (path: string) => join(ROOT, 'node_modules', path);
    const checks: Array<[string, string[]]> = [
      ['eslint', [bin('eslint/bin/eslint.js'), '.']],
      ['prettier --check', [bin('prettier/bin/prettier.cjs'), '--check', '--log-level', 'warn', '.']],
      ['lit-analyzer', [bin('lit-analyzer/cli.js'), '--strict', 'src/components/**/*.component.ts']],
    ];
    let passed = 0;
    let failed = 0;
    for (const [label, args] of checks) {
      const out: Buffer[] = [];
      const code = await run(node, args, { stdio: ['ignore', 'pipe', 'pipe'], onOutput: (b) => out.push(b) });
      process.stdout.write(Buffer.concat(out));
      if (code === 0) passed += 1;
      else {
        failed += 1;
        console.log(`lint: ${label} failed (exit ${code})`);
      }
    }
    return { passed, failed, skipped: 0 };
  });
};

await Promise.all([
  wanted('lint') ? lintSuite() : undefined,
  wanted('stories') ? suite('Storybook stories (static build, Chromium)', () => nodeTests('stories', 'test/stories', {})) : undefined,
]);

if (wanted('package')) {
  await suite('the package (npm pack, React/Vue apps, one-file bundle)', () => nodeTests('package', 'test/package', {}));
}

const total = results.reduce<Counts>(
  (acc, [, c]) => ({ passed: acc.passed + c.passed, failed: acc.failed + c.failed, skipped: acc.skipped + c.skipped }),
  { passed: 0, failed: 0, skipped: 0 },
);
console.log('\nsuite                                              passed  failed  seconds');
for (const [name, c, secs] of results) {
  console.log(`${name.padEnd(50)} ${String(c.passed).padStart(6)}  ${String(c.failed).padStart(6)}  ${secs.toFixed(1).padStart(7)}`);
}
console.log(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed > 0 || results.length === 0 ? 1 : 0);
