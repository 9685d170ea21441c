/// <reference types="vite/client" />
/**
 * The theme panel: every `--portal-*` custom property the elements read — the tokens module's
 * (src/styles/tokens.ts) and every `var(--portal-…)` in the source, found at build time, so a token
 * added to an element shows up here with no list to update — plus every one docs/theming.md documents. A line of that page calling a property "internal" keeps it out. Colour
 * tokens get a colour picker; the others a text field. Two brand presets show a whole palette at once.
 */
import { isColorToken } from './manifest.ts';

const sources = import.meta.glob<string>(['../src/**/*.ts', '!../src/**/*.test.ts'], { query: '?raw', import: 'default', eager: true });
/** The one tokens module (src/styles/tokens.ts): every theme token and its default, when it exists. */
const tokenModule = Object.values(
  import.meta.glob<{ TOKENS?: Record<string, string>; INHERITED_TOKENS?: readonly string[] }>('../src/styles/tokens.ts', { eager: true }),
)[0];
const theming = Object.values(import.meta.glob<string>('../docs/theming.md', { query: '?raw', import: 'default', eager: true }))[0] ?? '';

export interface Token {
  name: string;
  /** What the element falls back to when the token is not set (first `var()` fallback seen in the source). */
  fallback?: string;
  /** `theme` tokens apply to every element; `hook`s to one. */
  kind: 'theme' | 'hook';
  group: string;
  color: boolean;
}

/** The fallback of `var(--name, fallback)` at `start` (just after the comma), parentheses balanced. */
function readFallback(text: string, start: number): string {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) return text.slice(start, i).trim();
      depth--;
    }
  }
  return '';
}

/** A fallback as CSS: a stylesheet's `${token('color-primary')}` is `var(--portal-color-primary)`; other template code is dropped. */
function readable(fallback: string): string | undefined {
  const css = fallback.replace(/\$\{\s*\w+\(\s*'([a-z0-9-]+)'\s*\)\s*\}/g, 'var(--portal-$1)');
  return css && !css.includes('${') ? css : undefined;
}

function scan(): Token[] {
  const fallbacks = new Map<string, string | undefined>();
  for (const text of Object.values(sources)) {
    for (const m of text.matchAll(/var\((--portal-[a-z0-9-]+)\s*(,)?/g)) {
      const fallback = m[2] ? readable(readFallback(text, m.index + m[0].length)) : undefined;
      if (!fallbacks.has(m[1]!) || (!fallbacks.get(m[1]!) && fallback)) fallbacks.set(m[1]!, fallback);
    }
  }
  for (const [name, value] of Object.entries(tokenModule?.TOKENS ?? {})) fallbacks.set(`--portal-${name}`, value);
  for (const name of tokenModule?.INHERITED_TOKENS ?? [])
    if (!fallbacks.get(`--portal-${name}`)) fallbacks.set(`--portal-${name}`, 'inherited from the page');
  const internal = new Set<string>();
  for (const line of theming.split('\n')) {
    const names = [...line.matchAll(/`(--portal-[a-z0-9-]+)`/g)].map((m) => m[1]!);
    if (/\binternal\b/i.test(line)) names.forEach((n) => internal.add(n));
    // Only the current names (the "Renamed" section lists old ones no element reads).
    else if (!/renamed|→/i.test(line)) names.forEach((n) => fallbacks.has(n) || fallbacks.set(n, undefined));
  }
  return (
    [...fallbacks.keys()]
      .filter((name) => !internal.has(name))
      .map((name) => {
        const theme = /^--portal-(color|font|space|radius|size)-/.exec(name);
        const hook = /^--portal-([a-z]+)-/.exec(name);
        return {
          name,
          fallback: fallbacks.get(name),
          kind: theme ? 'theme' : 'hook',
          group: theme
            ? { color: 'colour', font: 'type', space: 'space', radius: 'shape', size: 'shape' }[theme[1] as 'color']
            : `<${hook?.[1] === 'autofill' ? 'purchaser-autofill' : `portal-${hook?.[1]}`}>`,
          color: isColorToken(name),
        } satisfies Token;
      })
      // Theme tokens first (colour, type, space, shape), then each element's hooks.
      .sort(
        (a, b) =>
          (a.kind === b.kind ? 0 : a.kind === 'theme' ? -1 : 1) ||
          GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group) ||
          a.group.localeCompare(b.group) ||
          a.name.localeCompare(b.name),
      )
  );
}
const GROUPS = ['colour', 'type', 'space', 'shape'];

export const TOKENS: Token[] = scan();

export interface Brand {
  title: string;
  /** `light-dark()` values follow the scheme switcher like the elements' own defaults do. */
  tokens: Record<string, string>;
}

export const BRANDS: Record<string, Brand> = {
  'teal-arts': {
    title: 'Dark-teal arts organization',
    tokens: {
      '--portal-color-primary': 'light-dark(#0b5c6b, #6fd3d3)',
      '--portal-color-primary-contrast': 'light-dark(#ffffff, #04262b)',
      '--portal-color-surface': 'light-dark(#f3f8f8, #0d2226)',
      '--portal-color-text': 'light-dark(#0f2a2e, #e3f1f2)',
      '--portal-color-text-quiet': 'light-dark(#3f5c61, #a8c5c9)',
      '--portal-color-card-border': 'light-dark(#0b5c6b, #2f6f77)',
      '--portal-color-border': 'light-dark(#5d7f84, #7fa3a8)',
      '--portal-color-field': 'light-dark(#ffffff, #102b30)',
      '--portal-color-focus': 'light-dark(#c26a00, #ffb74d)',
      '--portal-font-family': "Georgia, 'Times New Roman', serif",
      '--portal-radius-m': '0.125rem',
      '--portal-radius-l': '0.25rem',
      '--portal-qr-dark': '#0b3d45',
    },
  },
  'warm-choir': {
    title: 'Warm community choir',
    tokens: {
      '--portal-color-primary': 'light-dark(#9a3412, #fdba74)',
      '--portal-color-primary-contrast': 'light-dark(#ffffff, #3b1304)',
      '--portal-color-surface': 'light-dark(#fff8f0, #2a1a12)',
      '--portal-color-text': 'light-dark(#3b2416, #f7e8dc)',
      '--portal-color-text-quiet': 'light-dark(#6b4a36, #d6bba8)',
      '--portal-color-card-border': 'light-dark(#e8c9ad, #5a3b2a)',
      '--portal-color-border': 'light-dark(#a07a60, #a88a76)',
      '--portal-color-field': 'light-dark(#fffdfa, #33221a)',
      '--portal-color-focus': 'light-dark(#b45309, #fcd34d)',
      '--portal-color-success-surface': 'light-dark(#f1f7e8, #1f2a12)',
      '--portal-color-success-text': 'light-dark(#3d5a1a, #cfe8a9)',
      '--portal-font-family': "'Trebuchet MS', 'Segoe UI', system-ui, sans-serif",
      '--portal-font-size-heading': '1.4rem',
      '--portal-radius-m': '0.75rem',
      '--portal-radius-l': '1.25rem',
    },
  },
};

/** The hex colours of `light-dark(#a, #b)` or `#a`, for the picker's swatches. */
const hexes = (value: string) => [...value.matchAll(/#[0-9a-f]{3,8}\b/gi)].map((m) => m[0]);

/** Project-wide argTypes: one control per token, in the Controls panel of every story. */
export function tokenArgTypes(): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const t of TOKENS) {
    const swatches = [...new Set(Object.values(BRANDS).flatMap((b) => hexes(b.tokens[t.name] ?? '')))];
    out[t.name] = {
      name: t.name,
      description: `Empty: the brand preset's value, else the element's default${t.fallback ? ` \`${t.fallback}\`` : ''}.`,
      control: t.color ? { type: 'color', presetColors: swatches } : { type: 'text' },
      table: {
        category: t.kind === 'theme' ? 'theme tokens' : 'element hooks',
        subcategory: t.group,
        type: { summary: t.color ? '<color>' : 'CSS value' },
      },
    };
  }
  return out;
}

/** The custom properties to set on a story: the brand preset's, then whatever the designer picked. */
export function themeStyle(brand: string | undefined, args: Record<string, unknown>): Record<string, string> {
  const style: Record<string, string> = { ...(BRANDS[brand ?? '']?.tokens ?? {}) };
  for (const [k, v] of Object.entries(args)) if (k.startsWith('--portal-') && typeof v === 'string' && v.trim()) style[k] = v.trim();
  return style;
}
