import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RolldownMagicString } from 'rolldown';
import { defineConfig, type Plugin } from 'vite';
import { inheritedToken, lightToken, token, TOKENS, INHERITED_TOKENS } from './src/styles/tokens.ts';

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
 * Theme tokens resolved at build (issue 15): in a module that imports `token` / `lightToken` /
 * `inheritedToken` from src/styles/tokens.ts, a template expression that only reads one
 * (`${token('space-m')}`, `${unsafeCSS(token('space-m'))}`, or the module's one-line alias of such a
 * call, e.g. `const t = (name: TokenName) => unsafeCSS(token(name))` then `${t('space-m')}`) becomes
 * the same text the call returns, written into the template. The first load then carries no token
 * table and no calls; the element tests, which run the sources, still call tokens.ts.
 */
function tokenReader(code: string): (expression: string) => string | undefined {
  const readers: Record<string, (name: string) => string> = {
    token: (name) => token(name as keyof typeof TOKENS),
    lightToken: (name) => lightToken(name as keyof typeof TOKENS),
    inheritedToken: (name) => inheritedToken(name as (typeof INHERITED_TOKENS)[number]),
  };
  const imported = /import \{([^}]*)\} from '[./]*(?:styles\/)?tokens\.js';/.exec(code)?.[1] ?? '';
  const fns = new Map<string, (name: string) => string>();
  for (const name of imported.split(',').map((n) => n.trim())) if (readers[name]) fns.set(name, readers[name]);
  if (fns.size === 0) return () => undefined;
  for (const m of code.matchAll(/const (\w+) = \(name: [^)]*\) => unsafeCSS\((\w+)\(name\)\);/g)) {
    const fn = fns.get(m[2]!);
    if (fn) fns.set(m[1]!, fn);
  }
  const isKnown = (name: string) => name in TOKENS || (INHERITED_TOKENS as readonly string[]).includes(name);
  return (expression) => {
    const m = /^\s*(?:unsafeCSS\(\s*(\w+)\('([\w-]+)'\)\s*\)|(\w+)\('([\w-]+)'\))\s*$/.exec(expression);
    if (!m) return undefined;
    const [fnName, name] = m[1] ? [m[1], m[2]!] : [m[3]!, m[4]!];
    const fn = fns.get(fnName);
    if (!fn || !isKnown(name)) return undefined;
    const value = fn(name);
    // Written into a template literal: it must not hold what would end or escape one.
    if (/[`\\]|\$\{/.test(value)) return undefined;
    return value;
  };
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
  /**
   * The literal parts of the template literal whose opening backtick is at `open`, as [start, end,
   * text], and the index just past it. An expression that only reads a theme token (`tokenValue` knows
   * it) is resolved at build and joins the text around it, so one part then spans it.
   */
  function scan(
    src: string,
    open: number,
    tokenValue: (expression: string) => string | undefined,
  ): { end: number; parts: Array<[number, number, string]> } {
    const parts: Array<[number, number, string]> = [];
    let i = open + 1;
    let partStart = i;
    let start = i;
    let text = '';
    while (i < src.length) {
      const ch = src[i];
      if (ch === '\\') i += 2;
      else if (ch === '`') {
        parts.push([partStart, i, text + src.slice(start, i)]);
        return { end: i + 1, parts };
      } else if (ch === '$' && src[i + 1] === '{') {
        const close = skipExpression(src, i + 2);
        const value = tokenValue(src.slice(i + 2, close - 1));
        if (value === undefined) {
          parts.push([partStart, i, text + src.slice(start, i)]);
          text = '';
          partStart = close;
        } else text += src.slice(start, i) + value;
        start = close;
        i = close;
      } else i += 1;
    }
    throw new Error('unterminated template literal');
  }
  /** Index just past the `}` that closes an expression starting at `i`. */
  function skipExpression(src: string, i: number): number {
    let depth = 1;
    while (i < src.length) {
      const ch = src[i]!;
      if (ch === '`') i = scan(src, i, () => undefined).end;
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
      const tokenValue = tokenReader(code);
      const tag = /\b(css|html)`|\/\* css \*\/ `/g;
      for (let m = tag.exec(code); m; m = tag.exec(code)) {
        const open = m.index + m[0].length - 1;
        const { end, parts } = scan(code, open, m[1] === 'html' ? () => undefined : tokenValue);
        const minify = m[1] === 'html' ? html : css;
        for (const [a, b, text] of parts) {
          const small = minify(text);
          if (small !== code.slice(a, b)) out.overwrite(a, b, small);
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
