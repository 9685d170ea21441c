// A migrated PGlite data directory, made once and copied for every API a test starts (issue 13: the
// suite's time). An in-memory PGlite runs initdb on every start — about 5 s of CPU on this machine,
// once per test file and per API process — while opening a copy of a prepared directory takes about
// half a second. Each copy is the whole database of one API, as `memory` was: nothing is shared but
// the starting point. The template is keyed by server/db/ and the PGlite version, so a changed
// migration makes a new one; copies live in RAM (/dev/shm) and are removed with their API.
// Plain JavaScript so that web-test-runner's config can use it too (types: pglite-template.d.mts).
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;
const BASE = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
const PREFIX = 'portal-widgets-pglite-';

/** What the template depends on: the database code (migrations) and the PGlite build. */
function key() {
  const hash = createHash('sha256');
  for (const pkg of ['node_modules/@electric-sql/pglite/package.json', 'server/node_modules/@electric-sql/pglite/package.json']) {
    if (existsSync(join(ROOT, pkg))) hash.update(readFileSync(join(ROOT, pkg)));
  }
  const db = join(ROOT, 'server/db');
  for (const file of readdirSync(db).sort()) hash.update(file).update(readFileSync(join(db, file)));
  return hash.digest('hex').slice(0, 16);
}

/** Copies left behind by a killed process (older than three hours) go when a process first asks for the template. */
function sweep() {
  const old = Date.now() - 3 * 3600_000;
  for (const name of readdirSync(BASE)) {
    if (!name.startsWith(`${PREFIX}copy-`)) continue;
    try {
      if (statSync(join(BASE, name)).mtimeMs < old) rmSync(join(BASE, name), { recursive: true, force: true });
    } catch {
      // Another process removed it first.
    }
  }
}

/** Migrates a new PGlite directory with the API's own `portal-api migrate`, as an operator would. */
function migrateInto(dir) {
  const { DATABASE_URL: _url, DATABASE_SCHEMA: _schema, ...env } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/bin.ts', 'migrate'], {
      cwd: ROOT,
      env: { ...env, DATA_DIR: dir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`portal-api migrate exited ${code}:\n${stderr}`))));
  });
}

let template;

/** The migrated template directory (made on first use, shared by every process of every run). */
export function pgliteTemplate() {
  template ??= (async () => {
    // server/db/ may be edited while the template is made: it is kept only if it still matches.
    for (let attempt = 1; ; attempt += 1) {
      const made = key();
      const dir = join(BASE, `${PREFIX}${made}`);
      sweep();
      // Complete or absent: it only ever appears by a rename.
      if (existsSync(join(dir, 'PG_VERSION'))) return dir;
      const building = `${dir}.${process.pid}.${randomBytes(4).toString('hex')}`;
      try {
        await migrateInto(building);
        if (key() !== made && attempt < 3) {
          rmSync(building, { recursive: true, force: true });
          continue;
        }
        renameSync(building, dir);
      } catch (err) {
        rmSync(building, { recursive: true, force: true });
        // Another process finished the same template first: use theirs.
        if (!existsSync(join(dir, 'PG_VERSION'))) throw err;
      }
      return dir;
    }
  })();
  template.catch(() => (template = undefined));
  return template;
}

const live = new Set();
let exitHook = false;

/**
 * A fresh copy of the template for one API: `dir` is its DATA_DIR; `remove()` deletes it once the
 * API has closed its database (also done when this process exits).
 */
export async function pgliteCopy() {
  const source = await pgliteTemplate();
  const dir = mkdtempSync(join(BASE, `${PREFIX}copy-`));
  cpSync(source, dir, { recursive: true });
  live.add(dir);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const d of live) rmSync(d, { recursive: true, force: true });
    });
  }
  return {
    dir,
    remove() {
      live.delete(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
