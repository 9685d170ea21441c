// `npm run analyze`: writes custom-elements.json (the manifest package.json's "customElements" and
// "exports" name) from the elements' JSDoc (@summary, @event, @slot, @csspart, @cssproperty, @cssstate).
// Docs, Storybook args and IDE data can all read it. Three additions of our own (plugin below):
//   - every event gets its type (the event class in src/events/) and its `detail` type, read from source;
//   - every element lists the theme tokens it reads (src/styles/tokens.ts) with their defaults;
//   - paths point at files the package ships (dist/types/**/*.d.ts, and dist/portal-widgets.js, which
//     defines the elements), not at src/.
// test/package/package.test.ts checks it against the rendered elements.
import { readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';

/** Event name → { className, detailName, detailText, module } from src/events/*.ts. */
function eventTypes() {
  const out = new Map();
  for (const file of readdirSync('src/events')) {
    if (!file.endsWith('.ts')) continue;
    const text = readFileSync(`src/events/${file}`, 'utf8');
    const cls = /export class (\w+) extends Event[\s\S]*?super\('([\w-]+)'/.exec(text);
    if (!cls) continue;
    const detailName = /readonly detail: (\w+);/.exec(text)?.[1];
    const detailBody = detailName ? new RegExp(`export interface ${detailName} \\{([\\s\\S]*?)\\n\\}`).exec(text)?.[1] : undefined;
    const detailText = detailBody
      ?.split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('/**') && !l.startsWith('*'))
      .join(' ');
    out.set(cls[2], {
      className: cls[1],
      detailName,
      detailText: detailText ? `{ ${detailText} }` : undefined,
      module: `dist/types/events/${file.replace(/\.ts$/, '.d.ts')}`,
    });
  }
  return out;
}

/** Theme tokens and their defaults, from src/styles/tokens.ts (the one place they are declared). */
function themeTokens() {
  const text = readFileSync('src/styles/tokens.ts', 'utf8');
  const table = /export const TOKENS = \{([\s\S]*?)\} as const/.exec(text)?.[1] ?? '';
  const tokens = [...table.matchAll(/'([\w-]+)': '([^']*)'/g)].map((m) => ({ name: `--portal-${m[1]}`, default: m[2] }));
  const inherited = /export const INHERITED_TOKENS = \[([^\]]*)\]/.exec(text)?.[1] ?? '';
  for (const m of inherited.matchAll(/'([\w-]+)'/g)) tokens.push({ name: `--portal-${m[1]}`, default: 'inherit' });
  return tokens;
}

/** Token names a stylesheet source reads through tokens.ts (`token('x')`, `t('x')`, `lightToken('x')` …). */
function tokensIn(file) {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return [...text.matchAll(/\b(?:token|t|light|lightToken|inheritedToken)\('([\w-]+)'\)/g)].map((m) => `--portal-${m[1]}`);
}

/** The theme tokens element module `path` reads: its own styles, plus the shared card and form styles when it uses them. */
function tokensOf(path) {
  const dir = path.replace(/[^/]+$/, '');
  const name = /([\w-]+)\.component\.ts$/.exec(path)?.[1] ?? '';
  const source = readFileSync(path, 'utf8');
  const names = new Set(tokensIn(`${dir}${name}.styles.ts`));
  if (source.includes('component.styles.js')) tokensIn('src/styles/component.styles.ts').forEach((n) => names.add(n));
  if (/extends Portal(Form|Inbox)Element/.test(source))
    ['document', 'steps', 'component.styles'].forEach((f) => tokensIn(`src/styles/${f}.ts`).forEach((n) => names.add(n)));
  if (source.includes('component.styles.js') || /extends Portal(Form|Inbox)Element/.test(source))
    ['--portal-font-family', '--portal-color-field-text'].forEach((n) => names.add(n));
  return names;
}

/** `src/x/y.ts`, `/src/x/y.js` or `./y.js` (relative to module `from`) → the shipped `dist/types/x/y.d.ts`. */
const shipped = (path, from = '') => {
  let p = path.startsWith('.') ? posix.join(posix.dirname(from), path) : path.replace(/^\//, '');
  if (!p.startsWith('src/')) return path;
  p = p.slice(4).replace(/\.(ts|js)$/, '');
  return `dist/types/${p}.d.ts`;
};

function packageFacts() {
  return {
    name: 'portal-widgets-facts',
    packageLinkPhase({ customElementsManifest }) {
      const events = eventTypes();
      const tokens = themeTokens();
      for (const mod of customElementsManifest.modules) {
        for (const decl of mod.declarations ?? []) {
          if (!decl.tagName) continue;
          for (const event of decl.events ?? []) {
            const known = events.get(event.name);
            if (!known) continue;
            event.type = { text: known.className, references: [{ name: known.className, module: known.module }] };
            if (known.detailName) event.detail = { name: known.detailName, text: known.detailText };
          }
          const listed = new Set((decl.cssProperties ?? []).map((p) => p.name));
          const reads = tokensOf(mod.path);
          decl.cssProperties = [...(decl.cssProperties ?? [])];
          for (const t of tokens.filter((t) => reads.has(t.name) || listed.has(t.name))) {
            const own = decl.cssProperties.find((p) => p.name === t.name);
            if (own) own.default ??= t.default;
            else if (!listed.has(t.name))
              decl.cssProperties.push({ name: t.name, default: t.default, description: 'Theme token (docs/theming.md).' });
          }
        }
      }
      // Reactive properties declared in `static properties` (no decorators, issue 15) come out with
      // `privacy: "public"`, which the schema means by default: drop it, so the manifest reads as before.
      for (const mod of customElementsManifest.modules)
        for (const decl of mod.declarations ?? []) for (const member of decl.members ?? []) if (member.privacy === 'public') delete member.privacy;
      // Point every path at what the package ships.
      const walk = (node, from) => {
        if (Array.isArray(node)) return node.forEach((n) => walk(n, from));
        if (!node || typeof node !== 'object') return;
        for (const [key, value] of Object.entries(node)) {
          if (key === 'module' && typeof value === 'string') node[key] = shipped(value, from);
          else walk(value, from);
        }
      };
      for (const mod of customElementsManifest.modules) {
        walk(mod.declarations, mod.path);
        walk(mod.exports, mod.path);
        mod.path = shipped(mod.path);
      }
      for (const mod of customElementsManifest.modules) {
        for (const exp of mod.exports ?? []) {
          if (exp.kind === 'custom-element-definition') exp.declaration.module = 'dist/portal-widgets.js';
        }
      }
    },
  };
}

export default {
  globs: [
    'src/components/**/*.component.ts',
    'src/internal/portal-element.ts',
    'src/internal/portal-form-element.ts',
    // <portal-signup> extends it: without it, its inherited attributes go missing.
    'src/internal/inbox-element.ts',
  ],
  exclude: ['src/components/set-password/**'],
  outdir: '.',
  litelement: true,
  dev: false,
  plugins: [packageFacts()],
};
