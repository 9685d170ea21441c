/**
 * The theme tokens, declared once (issue 11): every `--portal-<category>-<name>` with its default. Every
 * stylesheet reads a token through {@link token} (or {@link lightToken} for browsers without
 * `light-dark()`), so the defaults agree everywhere; docs/theming.md lists the same table (a test
 * compares them, and fails on any `var(--portal-…, fallback)` written by hand in src/).
 *
 * Colour defaults are `light-dark(light, dark)`: they follow the `color-scheme` the page gives the
 * element. Tokens whose default is "inherit from the page" (`color-text` outside the card,
 * `font-family`, `color-field-text`) have none: an unset custom property makes the declaration inherit.
 */

/** Token name (without `--portal-`) → CSS default. */
export const TOKENS = {
  'color-primary': 'light-dark(#1f5fbf, #6ea8fe)',
  'color-primary-contrast': 'light-dark(#fff, #0b1320)',
  'color-danger': 'light-dark(#b3261e, #ffb4ab)',
  'color-danger-surface': 'light-dark(#fdecea, #3b1512)',
  'color-danger-text': 'light-dark(#7a1610, #ffdad6)',
  'color-success-surface': 'light-dark(#e8f4ea, #13301a)',
  'color-success-text': 'light-dark(#1d5a2a, #b7e4c0)',
  'color-text-quiet': 'light-dark(#555b63, #b3b9c2)',
  'color-border': 'light-dark(#8a8f98, #7d8590)',
  'color-card-border': 'color-mix(in srgb, currentColor 18%, transparent)',
  'color-surface': 'Canvas',
  'color-text': 'CanvasText',
  'color-field': 'Field',
  'color-focus': '#4d90fe',
  'radius-m': '0.375rem',
  'radius-l': '0.75rem',
  'size-card': '28rem',
  'space-xs': '0.3rem',
  'space-m': '0.875rem',
  'space-l': '1.25rem',
  'font-size-heading': '1.25rem',
} as const;

/** Tokens without a default: unset, the declaration inherits from the page. */
export const INHERITED_TOKENS = ['font-family', 'color-field-text'] as const;

export type TokenName = keyof typeof TOKENS;

/** `var(--portal-<name>, <default>)`. */
export function token(name: TokenName): string {
  return `var(--portal-${name}, ${TOKENS[name]})`;
}

/** The light half of a `light-dark()` default (the whole default otherwise). */
export function lightDefault(name: TokenName): string {
  const value: string = TOKENS[name];
  const m = /^light-dark\(\s*([^,]+?)\s*,/.exec(value);
  return m ? m[1]! : value;
}

/** `var(--portal-<name>, <light default>)`, for browsers without `light-dark()`. */
export function lightToken(name: TokenName): string {
  return `var(--portal-${name}, ${lightDefault(name)})`;
}

/** `var(--portal-<name>)` for a token that inherits when unset. */
export function inheritedToken(name: (typeof INHERITED_TOKENS)[number]): string {
  return `var(--portal-${name})`;
}
