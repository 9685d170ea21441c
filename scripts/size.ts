/**
 * `npm run size`: builds the library and prints gzip sizes against the budgets of DESIGN §8.
 *   - first load: the entry chunk plus everything it imports statically (provider, login, autofill);
 *   - lazy chunks: what loads on demand (sign-up, set-password, QR encoder);
 *   - everything: all chunks together (all five elements, QR encoder included).
 *   - the one-file bundle (`dist/portal-widgets.bundle.js`, every element, step and language inlined),
 *     for hosts that upload a single file; reported beside the lazy build, not counted in its budgets.
 * Exits non-zero when a budget is exceeded, so it can gate a release.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, run } from './lib/proc.ts';

const BUDGET_FIRST_LOAD = 20 * 1024;
const BUDGET_ALL = 32 * 1024;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  name?: string;
  src?: string;
}

const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
for (const args of [['build'], ['build', '--mode', 'bundle']]) {
  const code = await run(process.execPath, [vite, ...args, '--logLevel', 'warn']);
  if (code !== 0) process.exit(code);
}

const dist = join(ROOT, 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
const gz = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const raw = (file: string) => readFileSync(join(dist, file)).length;

// The main entry (the React wrappers' `src/react/index.ts` is an entry too, with its own closure).
const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry && k.endsWith('src/index.ts'));
if (!entryKey) throw new Error('no entry in the Vite manifest');

/** A chunk and everything it imports, statically and (with `lazy`) on demand. */
const reachable = (key: string, into = new Set<string>()) => {
  if (into.has(key)) return into;
  into.add(key);
  for (const dep of [...(manifest[key].imports ?? []), ...(manifest[key].dynamicImports ?? [])]) reachable(dep, into);
  return into;
};
const fromEntry = reachable(entryKey);

/** A chunk and everything it imports statically. */
const closure = (key: string, into = new Set<string>()) => {
  if (into.has(key)) return into;
  into.add(key);
  for (const dep of manifest[key].imports ?? []) closure(dep, into);
  return into;
};
const firstLoad = closure(entryKey);
// The API client (ky + zod/mini + the contract) and the autofill engine load together on the first
// interaction or stored session, so the page paints and the form is usable before they arrive;
// "ready to sign in" counts them too: what a person who signs in has downloaded by the time the
// purchaser form is filled.
const onFirstUse = ['src/api/client.ts', 'src/components/purchaser-autofill/form-filler.ts'];
const readyToSignIn = new Set(firstLoad);
for (const key of Object.keys(manifest)) if (onFirstUse.some((k) => key.endsWith(k))) closure(key, readyToSignIn);
// Spanish and French load only on pages in those languages.
const otherLocale = (key: string) => /src\/translations\/(?!en\.ts)[a-z-]+\.ts$/.test(key);

const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
const rows: Array<[string, string, string, string]> = [];
let firstTotal = 0;
let readyTotal = 0;
let allTotal = 0;
for (const [key, chunk] of Object.entries(manifest)) {
  if (!chunk.file.endsWith('.js')) continue;
  const size = gz(chunk.file);
  if (!fromEntry.has(key)) {
    rows.push([chunk.file, 'portal-widgets/react only', kb(raw(chunk.file)), kb(size)]);
    continue;
  }
  if (!otherLocale(key)) allTotal += size;
  if (firstLoad.has(key)) firstTotal += size;
  if (readyToSignIn.has(key)) readyTotal += size;
  const when = firstLoad.has(key) ? 'first load' : readyToSignIn.has(key) ? 'on first use' : otherLocale(key) ? 'es/fr only' : 'on demand';
  rows.push([chunk.file, when, kb(raw(chunk.file)), kb(size)]);
}
const bundleFile = 'portal-widgets.bundle.js';
const bundleSize = gz(bundleFile);
rows.push([bundleFile, 'one file (all)', kb(raw(bundleFile)), kb(bundleSize)]);
const order = ['first load', 'on first use', 'on demand', 'es/fr only', 'portal-widgets/react only', 'one file (all)'];
rows.sort((a, b) => order.indexOf(a[1]) - order.indexOf(b[1]) || a[0].localeCompare(b[0]));

const widths = [0, 1, 2, 3].map((i) => Math.max(...[['file', 'loads', 'min', 'gzip'], ...rows].map((r) => r[i].length)));
const line = (r: string[]) => r.map((c, i) => (i >= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
console.log(line(['file', 'loads', 'min', 'gzip']));
for (const r of rows) console.log(line(r));
console.log('');
const verdict = (n: number, budget: number) => `${kb(n)} of ${kb(budget)} budget ${n <= budget ? 'ok' : 'OVER'}`;
console.log(`donation page first load (provider + login + autofill, English, lit included): ${verdict(firstTotal, BUDGET_FIRST_LOAD)}`);
console.log(`  + on first use: API client (ky, zod/mini, contract) and autofill engine:  ${kb(readyTotal)} (ready to sign in and fill)`);
console.log(`all five elements, QR encoder included (English):                          ${verdict(allTotal, BUDGET_ALL)}`);
console.log(`one-file bundle dist/${bundleFile} (all five elements, every step, en/es/fr):      ${kb(bundleSize)}`);
console.log('reference: Hanko Elements ~45 kB gzip; most vendors 100-400 kB');
if (firstTotal > BUDGET_FIRST_LOAD || allTotal > BUDGET_ALL) process.exit(1);
