/**
 * Usage snippets for an element's docs page, in plain HTML, React 19 and Vue 3, built from the manifest
 * (its tag, the attributes the docs' first story sets, its events) so they stay true as elements change.
 */
import { changedAttributes, elementDoc } from './manifest.ts';

const API = 'https://portal-api.example.org';
const ORG = 'riverside-arts';
const isProvider = (tag: string) => tag === 'portal-provider';

/** Content a wrapping element needs to show anything (autofill wraps the page's own form). */
const INNER: Record<string, string[]> = {
  'purchaser-autofill': [
    '<form id="donation-form">',
    '  <label for="fn">First name</label> <input id="fn" name="first_name" autocomplete="given-name">',
    '  <label for="em">Email</label> <input id="em" name="email" type="email" autocomplete="email">',
    '  <button>Donate</button>',
    '</form>',
  ],
  'portal-provider': ['<portal-login></portal-login>'],
};

const camel = (event: string) => event.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

function attrs(list: Array<[string, string | true]>, style: 'html' | 'react' | 'vue'): string {
  return list.map(([k, v]) => (v === true ? (style === 'react' ? ` ${k}=""` : ` ${k}`) : ` ${k}="${v}"`)).join('');
}

function indent(lines: string[], by: string): string[] {
  return lines.map((l) => by + l);
}

export interface Snippets {
  html: string;
  react: string;
  vue: string;
}

export function usageSnippets(tag: string, args: Record<string, unknown>): Snippets {
  const doc = elementDoc(tag);
  const events = (doc?.events ?? []).map((e) => e.name);
  const inner = INNER[tag] ?? [];
  const set = changedAttributes(tag, args);
  const provider = (body: string[], close = true) =>
    isProvider(tag) ? body : [`<portal-provider api="${API}" org="${ORG}">`, ...indent(body, '  '), ...(close ? ['</portal-provider>'] : [])];

  // HTML: the tag, its content, and a listener per event.
  const el = (style: 'html' | 'react' | 'vue', extra = '') => {
    const own = isProvider(tag) ? ([['api', API], ['org', ORG], ...set] as Array<[string, string | true]>) : set;
    const open = `<${tag}${attrs(own, style)}${extra}>`;
    if (!inner.length) return style === 'react' ? [`<${tag}${attrs(own, style)}${extra} />`] : [`${open}</${tag}>`];
    return [
      open,
      ...indent(
        inner.map((l) => (style === 'react' ? l.replace(/<input ([^>]*)>/, '<input $1 />').replace(/ for=/g, ' htmlFor=') : l)),
        '  ',
      ),
      `</${tag}>`,
    ];
  };
  const html = [
    '<script type="module" src="https://your-cdn.example/portal-widgets/portal-widgets.js"></script>',
    '',
    ...provider(el('html')),
    ...(events.length
      ? [
          '',
          '<script type="module">',
          `  const el = document.querySelector('${tag}');`,
          ...events.map((e) => `  el.addEventListener('${e}', (event) => console.log('${e}', event.detail));`),
          '</script>',
        ]
      : []),
  ].join('\n');

  // React 19 renders custom elements and their `on<event>` props natively.
  const reactHandlers = events.map((e) => `\n${' '.repeat(isProvider(tag) ? 6 : 8)}on${e}={(event) => console.log('${e}', event.detail)}`).join('');
  const reactEl = el('react', reactHandlers ? `${reactHandlers}\n${' '.repeat(isProvider(tag) ? 4 : 6)}` : '');
  const react = [
    "import 'portal-widgets';",
    '',
    `export function ${camel(`x-${tag}`).slice(1)}() {`,
    '  return (',
    ...indent(provider(reactEl), '    '),
    '  );',
    '}',
  ].join('\n');

  // Vue 3: tell the compiler these tags are custom elements, then bind events with @.
  const vueHandlers = events.map((e) => `\n${' '.repeat(isProvider(tag) ? 4 : 6)}@${e}="(event) => console.log('${e}', event.detail)"`).join('');
  const vueEl = el('vue', vueHandlers ? `${vueHandlers}\n${' '.repeat(isProvider(tag) ? 2 : 4)}` : '');
  const vue = [
    '<!-- vite.config.ts: vue({ template: { compilerOptions: {',
    "       isCustomElement: (tag) => tag.startsWith('portal-') || tag === 'purchaser-autofill' } } }) -->",
    '<script setup lang="ts">',
    "import 'portal-widgets';",
    '</script>',
    '',
    '<template>',
    ...indent(provider(vueEl), '  '),
    '</template>',
  ].join('\n');

  return { html, react, vue };
}
