import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * Library build, two outputs (`npm run build` runs both):
 *
 * - default mode: the lazy ES build. One entry (`dist/portal-widgets.js`) with lit, ky and zod/mini
 *   bundled, so a plain HTML page needs a single `<script type="module">`. Sign-up, set-password and the
 *   QR encoder are chunks under `dist/chunks/` that load on demand; their URLs are resolved relative to
 *   the entry, so `dist/` can be hosted as a folder under any (versioned) path. The manifest lets
 *   `npm run size` compute what a page loads first and what loads later.
 *   `dist/react.js` is the `portal-widgets/react` entry (React wrappers; `react` stays external).
 * - `--mode bundle`: `dist/portal-widgets.bundle.js`, one self-contained file (every dynamic import
 *   inlined, no sibling files) defining all five elements, for hosts that can upload only one file.
 *
 * The package version is injected as `__PORTAL_VERSION__` (PortalElement.version).
 */
/**
 * The first load in ONE file (issue 15): every module that `src/index.ts` imports statically, and so
 * runs before the first paint, goes into the entry chunk itself: no chain of shared chunks before the
 * page's first pixels. The plugin records that closure once the module graph is complete; the
 * `codeSplitting` group below captures exactly those modules, and `preserveEntrySignatures:
 * 'allow-extension'` lets the entry chunk be that group (lazy chunks import what they share from
 * `../portal-widgets.js`, relative to the entry, so `dist/` stays hostable as a folder). The React
 * wrappers' entry imports the main entry's modules, so it loads `portal-widgets.js` plus its own.
 */
function firstLoadInEntry(entry: string): { plugin: Plugin; test: (id: string) => boolean } {
  const closure = new Set<string>();
  const plugin: Plugin = {
    name: 'portal-first-load-in-entry',
    buildEnd() {
      const root = [...this.getModuleIds()].find((id) => id === entry);
      const visit = (id: string) => {
        if (closure.has(id)) return;
        closure.add(id);
        for (const dep of this.getModuleInfo(id)?.importedIds ?? []) visit(dep);
      };
      if (root) visit(root);
    },
  };
  return { plugin, test: (id) => closure.has(id) };
}

export default defineConfig(({ mode }) => {
  const bundle = mode === 'bundle';
  // `react` is the `portal-widgets/react` wrappers' entry; React itself stays the app's (a peer dependency).
  const entry: Record<string, string> = bundle
    ? { 'portal-widgets.bundle': 'src/bundle.ts' }
    : { 'portal-widgets': 'src/index.ts', react: 'src/react/index.ts' };
  const first = firstLoadInEntry(resolve('src/index.ts'));
  return {
    plugins: bundle ? [] : [first.plugin],
    define: { __PORTAL_VERSION__: JSON.stringify(version) },
    build: {
      outDir: 'dist',
      // The bundle is written beside the lazy build, which the first pass cleaned.
      emptyOutDir: !bundle,
      target: 'es2022',
      manifest: !bundle,
      sourcemap: true,
      lib: {
        entry,
        formats: ['es'],
      },
      rolldownOptions: {
        external: ['react', 'react-dom'],
        ...(bundle ? {} : { preserveEntrySignatures: 'allow-extension' as const }),
        output: {
          // Vite's library mode keeps whitespace in ES output unless told to minify (TOOLCHAIN.md).
          minify: true,
          ...(bundle
            ? { codeSplitting: false }
            : { chunkFileNames: 'chunks/[name]-[hash].js', codeSplitting: { groups: [{ name: 'portal-widgets', test: first.test }] } }),
        },
      },
    },
  };
});
