import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RolldownMagicString } from 'rolldown';
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

/**
 * Minifies the static text of the library's templates at build time (issue 15): `css` tagged templates
 * and plain ones marked `/* css *\/` (the light-DOM form rules) lose comments and layout whitespace;
 * `html` templates have each whitespace run that spans a line break reduced to one space, which HTML
 * renders exactly as the run it replaces (none of the templates holds `<pre>` or `<textarea>`). Only
 * the literal parts change, never a `${…}` expression. The element tests run the sources unminified;
 * the e2e, story and package suites run this build.
 */
export function minifyTemplates(): Plugin {
  /** Index just past the template literal whose opening backtick is at `open`, and its literal parts. */
  function scan(src: string, open: number): { end: number; parts: Array<[number, number]> } {
    const parts: Array<[number, number]> = [];
    let i = open + 1;
    let start = i;
    while (i < src.length) {
      const ch = src[i];
      if (ch === '\\') i += 2;
      else if (ch === '`') {
        parts.push([start, i]);
        return { end: i + 1, parts };
      } else if (ch === '$' && src[i + 1] === '{') {
        parts.push([start, i]);
        i = skipExpression(src, i + 2);
        start = i;
      } else i += 1;
    }
    throw new Error('unterminated template literal');
  }
  /** Index just past the `}` that closes an expression starting at `i`. */
  function skipExpression(src: string, i: number): number {
    let depth = 1;
    while (i < src.length) {
      const ch = src[i]!;
      if (ch === '`') i = scan(src, i).end;
      else if (ch === "'" || ch === '"') {
        i += 1;
        while (src[i] !== ch) i += src[i] === '\\' ? 2 : 1;
        i += 1;
      } else {
        if (ch === '{') depth += 1;
        else if (ch === '}' && --depth === 0) return i + 1;
        i += 1;
      }
    }
    throw new Error('unterminated template expression');
  }
  const css = (text: string) =>
    text
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\s+/g, ' ')
      .replace(/ ?([{};,]) ?/g, '$1')
      // After a colon: a declaration's value (in a selector, a colon is never followed by a space).
      .replace(/: /g, ':')
      .replace(/;}/g, '}');
  const html = (text: string) => text.replace(/\s*\n\s*/g, ' ');
  return {
    name: 'portal-minify-templates',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]src[\\/].*\.ts$/.test(id) || !/(css|html)`|\/\* css \*\/ `/.test(code)) return null;
      const out = new RolldownMagicString(code);
      const tag = /\b(css|html)`|\/\* css \*\/ `/g;
      for (let m = tag.exec(code); m; m = tag.exec(code)) {
        const open = m.index + m[0].length - 1;
        const { end, parts } = scan(code, open);
        const minify = m[1] === 'html' ? html : css;
        for (const [a, b] of parts) {
          const text = code.slice(a, b);
          const small = minify(text);
          if (small !== text && b > a) out.overwrite(a, b, small);
        }
        tag.lastIndex = end;
      }
      // Rolldown takes its own magic string as the code and keeps the source map exact.
      return { code: out as unknown as string };
    },
  };
}

export default defineConfig(({ mode }) => {
  const bundle = mode === 'bundle';
  // `react` is the `portal-widgets/react` wrappers' entry; React itself stays the app's (a peer dependency).
  const entry: Record<string, string> = bundle
    ? { 'portal-widgets.bundle': 'src/bundle.ts' }
    : { 'portal-widgets': 'src/index.ts', react: 'src/react/index.ts' };
  const first = firstLoadInEntry(resolve('src/index.ts'));
  return {
    plugins: bundle ? [minifyTemplates()] : [minifyTemplates(), first.plugin],
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
