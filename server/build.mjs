/**
 * Builds the portal-api package to plain JavaScript in dist/ (run by `npm run build -w server` and
 * before `npm pack -w server`): esbuild bundles our code and the wire contract it imports from
 * src/api/ (which is outside this package), keeps every npm dependency external (they are this
 * package's `dependencies`), and copies the data files the code reads at run time.
 */
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { build } from 'esbuild';

const here = new URL('./', import.meta.url);
const dist = new URL('dist/', here);
const pkg = JSON.parse(await readFile(new URL('package.json', here), 'utf8'));

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
const result = await build({
  entryPoints: { bin: new URL('bin.ts', here).pathname, index: new URL('index.ts', here).pathname },
  outdir: dist.pathname,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  chunkNames: 'chunk-[hash]',
  define: { __PORTAL_API_VERSION__: JSON.stringify(pkg.version) },
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});
// Read at run time next to the code (new URL('./common-passwords.txt', import.meta.url)).
await copyFile(new URL('domain/common-passwords.txt', here), new URL('common-passwords.txt', dist));
// Every bare import the bundle kept must be a declared dependency, or the installed package breaks.
const declared = new Set(Object.keys(pkg.dependencies ?? {}));
const missing = new Set();
for (const out of Object.values(result.metafile.outputs)) {
  for (const imp of out.imports) {
    if (!imp.external || imp.path.startsWith('node:')) continue;
    const name = imp.path.startsWith('@') ? imp.path.split('/').slice(0, 2).join('/') : imp.path.split('/')[0];
    if (!declared.has(name)) missing.add(name);
  }
}
if (missing.size) {
  console.error(`portal-api build: imported but not in server/package.json dependencies: ${[...missing].join(', ')}`);
  process.exit(1);
}
await writeFile(new URL('BUILD', dist), `${pkg.name}@${pkg.version}\n`);
console.log(`portal-api built to ${dist.pathname}`);
