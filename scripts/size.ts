/**
 * `npm run size`: builds the library and prints gzip sizes against the budgets of DESIGN §8, each beside
 * the same-run reference of the mandated libraries alone (so "own code" is measured, not quoted):
 *   - first load: the entry file plus anything it imports statically (provider, login, autofill; one
 *     file since issue 15), with a per-module breakdown of what it carries;
 *   - ready to sign in: the first load plus what loads on first use (the API client with ky, zod/mini
 *     and the contract; the session store's network half; the autofill engine);
 *   - all five elements, QR encoder included (English);
 *   - the one-file bundle (`dist/portal-widgets.bundle.js`, every element, step and language inlined),
 *     for hosts that upload a single file; reported beside the lazy build, not counted in its budgets.
 * The reference: tiny entries importing just lit + @lit/context, + ky + zod/mini, + qrcode, built with
 * the same minifier in the same run.
 * Exits non-zero when a budget is exceeded, so it can gate a release.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, run } from './lib/proc.ts';

const BUDGET_FIRST_LOAD = 15 * 1024;
const BUDGET_READY = 30 * 1024;
const BUDGET_ALL = 45 * 1024;

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

const gzip = (data: Buffer | string) => gzipSync(data, { level: 9 }).length;
const dist = join(ROOT, 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
const gz = (file: string) => gzip(readFileSync(join(dist, file)));
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
// The API client (ky + zod/mini + the contract), the session store's network half, the English of
// errors and of the signed-in view, and the autofill engine load together on the first interaction or stored session, so the page paints and the form is
// usable before they arrive; "ready to sign in" counts them too: what a person who signs in has
// downloaded by the time the purchaser form is filled.
const onFirstUse = [
  'src/api/client.ts',
  'src/session/flows.ts',
  'src/translations/en-more.ts',
  'src/components/purchaser-autofill/form-filler.ts',
  'src/components/purchaser-autofill/autofill-view.ts',
  'src/components/login/login-views.ts',
  'src/internal/form-actions.ts',
];
const readyToSignIn = new Set(firstLoad);
for (const key of Object.keys(manifest)) if (onFirstUse.some((k) => key.endsWith(k))) closure(key, readyToSignIn);
// Spanish and French load only on pages in those languages.
const otherLocale = (key: string) => /src\/translations\/(?!en[.-])[a-z-]+\.ts$/.test(key);

/** What each lazy chunk is for (its entry module, or the module that names the chunk). */
const purpose: Array<[RegExp, string]> = [
  [/client/, 'API client: ky, zod/mini, contract'],
  [/flows/, 'session refresh, Web Lock, sign-in'],
  [/en-more/, 'English of errors, signed-in view'],
  [/form-filler/, 'autofill engine (H1b)'],
  [/autofill-view/, 'autofill chooser + status (signed in)'],
  [/login-views/, 'login: send sign-in, signed-in view, steps'],
  [/form-actions/, 'forms: validate, run a request, focus'],
  [/config-check/, 'configuration checks, console text'],
  [/email-step/, 'forgot password / resend step'],
  [/inbox-element/, '"check your inbox" step'],
  [/step-setup/, 'English of the steps, step styles'],
  [/set-password/, 'set-password step'],
  [/signup/, '<portal-signup>'],
  [/qrcode/, 'QR encoder (qrcode)'],
  [/qr-/, '<portal-qr>'],
  [/(^|\/)es-/, 'Spanish'],
  [/(^|\/)fr-/, 'French'],
  [/rolldown-runtime/, 'CommonJS interop (qrcode)'],
  [/^portal-widgets\.js$/, 'provider + login + autofill'],
  [/^react\.js$/, 'React wrappers'],
];
const purposeOf = (file: string) => purpose.find(([re]) => re.test(file))?.[1] ?? '';

const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
const rows: string[][] = [];
let firstTotal = 0;
let readyTotal = 0;
let allTotal = 0;
let firstRequests = 0;
for (const [key, chunk] of Object.entries(manifest)) {
  if (!chunk.file.endsWith('.js')) continue;
  const size = gz(chunk.file);
  if (!fromEntry.has(key)) {
    rows.push([chunk.file, 'portal-widgets/react only', purposeOf(chunk.file), kb(raw(chunk.file)), kb(size)]);
    continue;
  }
  if (!otherLocale(key)) allTotal += size;
  if (firstLoad.has(key)) {
    firstTotal += size;
    firstRequests += 1;
  }
  if (readyToSignIn.has(key)) readyTotal += size;
  const when = firstLoad.has(key) ? 'first load' : readyToSignIn.has(key) ? 'on first use' : otherLocale(key) ? 'es/fr only' : 'on demand';
  rows.push([chunk.file, when, purposeOf(chunk.file), kb(raw(chunk.file)), kb(size)]);
}
const bundleFile = 'portal-widgets.bundle.js';
const bundleSize = gz(bundleFile);
rows.push([bundleFile, 'one file (all)', 'every element, step, language', kb(raw(bundleFile)), kb(bundleSize)]);
const order = ['first load', 'on first use', 'on demand', 'es/fr only', 'portal-widgets/react only', 'one file (all)'];
rows.sort((a, b) => order.indexOf(a[1]!) - order.indexOf(b[1]!) || a[0]!.localeCompare(b[0]!));

function table(head: string[], body: string[][], numeric: number): void {
  const widths = head.map((_, i) => Math.max(...[head, ...body].map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i >= numeric ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(line(head));
  for (const r of body) console.log(line(r));
}
table(['file', 'loads', 'what', 'min', 'gzip'], rows, 3);

// ---- What the first-load file carries, module by module (from its source map) ----------------------

/** Decodes a source map's `mappings` into [generated offset, source index] runs over `code`. */
function owners(code: string, map: { sources: string[]; mappings: string }): string[] {
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const lineStarts = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === '\n') lineStarts.push(i + 1);
  const segments: Array<[number, number]> = [];
  let source = 0;
  map.mappings.split(';').forEach((line, lineNo) => {
    let column = 0;
    for (const segment of line.split(',')) {
      if (!segment) continue;
      const values: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = B64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += values[0]!;
      if (values.length > 1) source += values[1]!;
      segments.push([lineStarts[lineNo]! + column, values.length > 1 ? source : -1]);
    }
  });
  segments.sort((a, b) => a[0] - b[0]);
  const owner: string[] = new Array<string>(code.length).fill('(bundler glue)');
  segments.forEach(([start, src], i) => {
    const end = segments[i + 1]?.[0] ?? code.length;
    const name = src < 0 ? '(bundler glue)' : map.sources[src]!;
    for (let k = start; k < end; k++) owner[k] = name;
  });
  return owner;
}

const moduleName = (source: string) => source.replace(/^.*node_modules\//, '').replace(/^(\.\.\/)+/, '');
const isLib = (name: string) => /^(lit|lit-html|lit-element|@lit)\//.test(name);
const firstFiles = [...firstLoad].map((k) => manifest[k]!.file);
const breakdown: string[][] = [];
for (const file of firstFiles) {
  const code = readFileSync(join(dist, file), 'utf8');
  const owner = owners(code, JSON.parse(readFileSync(join(dist, `${file}.map`), 'utf8')) as { sources: string[]; mappings: string });
  const whole = gzip(code);
  const byModule = new Map<string, number>();
  for (const source of owner) byModule.set(source, (byModule.get(source) ?? 0) + 1);
  // Marginal gzip: what the file would lose without that module's bytes (compression shares context,
  // so the column does not add up to the file's size exactly).
  const moduleRows = [...byModule.keys()].map((source) => {
    let rest = '';
    for (let k = 0; k < code.length; k++) if (owner[k] !== source) rest += code[k];
    return { name: moduleName(source), min: byModule.get(source)!, gz: whole - gzip(rest) };
  });
  moduleRows.sort((a, b) => b.gz - a.gz);
  for (const m of moduleRows) breakdown.push([m.name, isLib(m.name) ? 'lit' : 'own', kb(m.min), kb(m.gz)]);
  const own = moduleRows.filter((m) => !isLib(m.name)).reduce((n, m) => n + m.gz, 0);
  const lib = moduleRows.filter((m) => isLib(m.name)).reduce((n, m) => n + m.gz, 0);
  breakdown.push(['= own code (marginal sum)', 'own', '', kb(own)], ['= lit + @lit/context (marginal sum)', 'lit', '', kb(lib)]);
}
console.log('');
console.log(`first load, module by module (${firstFiles.join(', ')}; gzip = what the file loses without the module):`);
table(['module', 'kind', 'min', 'gzip'], breakdown, 2);

// ---- The same-run reference: the mandated libraries alone ----------------------------------------

// Inside the project, so the entries resolve the project's own copies of the libraries.
mkdirSync(join(ROOT, 'node_modules/.cache'), { recursive: true });
const refDir = mkdtempSync(join(ROOT, 'node_modules/.cache/portal-size-ref-'));
// Each entry exports just the parts of the library the widgets use (so tree-shaking treats both alike).
const references: Array<[string, string]> = [
  [
    'lit + @lit/context',
    // What the elements import (no decorators or directives since issue 15: `static get properties()`
    // and the context controllers).
    `export { LitElement, html, css, render, nothing, unsafeCSS, adoptStyles, svg } from 'lit';
     export { ContextRoot, createContext, ContextConsumer, ContextProvider } from '@lit/context';`,
  ],
  [
    '+ ky + zod/mini',
    `export { default as ky, HTTPError, TimeoutError } from 'ky';
     export { string, object, optional, enum as enum_, maxLength, minLength, array, nullable, regex, trim, boolean, url, record, pipe, literal, email } from 'zod/mini';`,
  ],
  ['+ qrcode', `export { create } from 'qrcode/lib/core/qrcode.js';`],
];
const refSizes: number[] = [];
try {
  let source = '';
  for (const [i, [, code]] of references.entries()) {
    source += `${code}\n`;
    const entry = join(refDir, `ref${i}.js`);
    writeFileSync(entry, source);
    const out = join(refDir, `out${i}`);
    const config = join(refDir, `vite.ref${i}.config.mjs`);
    writeFileSync(
      config,
      `export default { root: ${JSON.stringify(ROOT)}, logLevel: 'warn', build: { outDir: ${JSON.stringify(out)}, emptyOutDir: true, target: 'es2022',
        lib: { entry: ${JSON.stringify(entry)}, formats: ['es'], fileName: 'ref' },
        rolldownOptions: { output: { minify: true, codeSplitting: false } } } };`,
    );
    const code2 = await run(process.execPath, [vite, 'build', '--config', config, '--logLevel', 'warn']);
    if (code2 !== 0) process.exit(code2);
    refSizes.push(gzip(readFileSync(join(out, 'ref.js'))));
  }
} finally {
  rmSync(refDir, { recursive: true, force: true });
}

console.log('');
const verdict = (n: number, budget: number) => `${kb(n).padStart(7)} of ${kb(budget)} budget ${n <= budget ? 'ok  ' : 'OVER'}`;
const own = (n: number, ref: number) => `libraries alone ${kb(ref).padStart(7)}, own code ${kb(n - ref).padStart(7)}`;
console.log(
  `first load (provider + login + autofill, English, lit incl.), ${firstRequests} request(s): ${verdict(firstTotal, BUDGET_FIRST_LOAD)}  ${own(firstTotal, refSizes[0]!)} (${references[0]![0]})`,
);
console.log(
  `ready to sign in (+ API client, session flows, autofill engine):          ${verdict(readyTotal, BUDGET_READY)}  ${own(readyTotal, refSizes[1]!)} (${references[1]![0]})`,
);
console.log(
  `all five elements, QR encoder included (English):                          ${verdict(allTotal, BUDGET_ALL)}  ${own(allTotal, refSizes[2]!)} (${references[2]![0]})`,
);
console.log(`one-file bundle dist/${bundleFile} (all five elements, every step, en/es/fr): ${kb(bundleSize)}`);
console.log('reference: Hanko Elements ~44.6 kB gzip in one request; most vendors 100-400 kB');
if (firstTotal > BUDGET_FIRST_LOAD || readyTotal > BUDGET_READY || allTotal > BUDGET_ALL) process.exit(1);
