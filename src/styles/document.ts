import { token, inheritedToken } from './tokens.js';

/**
 * Styles for the light-DOM form controls the elements own (STYLE §4.20, §5.23), in one constructed
 * stylesheet per set of rules (CSP-friendly: no `style-src 'unsafe-inline'`), adopted into the root the
 * element lives in: the document, or the shadow root of the component that holds it.
 *
 * Host CSS does not leak in (issue 11). The rules live in the cascade layer `portal.defaults`; one
 * unlayered guard rule, with the weight of three ids, resets every HTML element of the forms with
 * `all: revert-layer`: a page's unlayered rules (a theme's `button {…}`, `h2 {…}`,
 * `input[type=email] {…}`, even `#content .entry button`) roll back to the layered rules, ours. Inherited
 * text (font, colour, line height) still comes from the page through the element. Pages restyle the
 * forms through the tokens (`--portal-*`), or with rules in `@layer portal { … }`, which beats
 * `portal.defaults` (docs/theming.md). Defaults use `light-dark()` and follow the page's `color-scheme`;
 * a browser without `light-dark()` (before Chrome 123, Firefox 120, Safari 17.5) gets every sheet with
 * the light half of each default instead ({@link forThisBrowser}), so no rule needs a fallback twin.
 */
/* The rules of error and status boxes (alerts, invalid fields, the signed-in status) come with the
   forms' request code (FORM_MESSAGE_RULES, internal/form-actions.ts): nothing shows one before it. */
const FORM_RULES = /* css */ `
.portal-form { display: grid; gap: var(--portal-form-gap, ${token('space-m')}); margin: 0; font: inherit; color: inherit; }
.portal-form p { margin: 0; }
.portal-field { display: grid; gap: ${token('space-xs')}; min-width: 0; }
.portal-form label { font-weight: 600; font-size: 0.95em; }
.portal-check { display: flex; align-items: center; gap: 0.5rem; }
.portal-check label { font-weight: 400; }
.portal-form input:not([type=checkbox]):not([type=radio]) {
  box-sizing: border-box; width: 100%; min-height: 2.75rem; padding: 0.5rem 0.75rem; font: inherit; color: ${inheritedToken('color-field-text')};
  background: ${token('color-field')}; border: 1px solid ${token('color-border')}; border-radius: ${token('radius-m')};
}
.portal-form input[type=checkbox] { width: 1.15rem; height: 1.15rem; margin: 0; accent-color: ${token('color-primary')}; }
.portal-form :focus-visible { outline: 3px solid ${token('color-focus')}; outline-offset: 2px; }
/* :where() keeps this base rule at the weight of one class, so .portal-primary and .portal-link override it. */
.portal-form :where(button) { font: inherit; cursor: pointer; border-radius: ${token('radius-m')}; min-height: 2.75rem; padding: 0.5rem 1rem; }
.portal-form :where(button[disabled]) { cursor: not-allowed; opacity: 0.6; }
.portal-primary { background: ${token('color-primary')}; color: ${token('color-primary-contrast')}; border: 1px solid transparent; font-weight: 600; }
.portal-link { background: none; border: 0; padding: 0.25rem 0; min-height: 0; color: ${token('color-primary')}; text-decoration: underline; justify-self: start; }
.portal-form .portal-link { min-height: 2rem; }
.portal-hint { font-size: 0.875em; color: ${token('color-text-quiet')}; }
.portal-alert:empty { display: none; }
.portal-unavailable { margin: 0; padding: 0.625rem 0.75rem; border-radius: ${token('radius-m')}; border: 1px solid ${token('color-border')}; }
/* An alert's message is always an element (its span): with none, only the template's whitespace is left,
   which :empty does not ignore (a formatter reflowing the template drew an empty red bar on every form). */
.portal-alert:not(:has(*)) { display: none; }
.portal-actions { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; }
`;

/** The HTML elements the forms are made of (custom elements keep their own host styles). */
const FORM_TAGS = 'form, div, p, span, label, input, button, select, textarea, h2, h3, fieldset, legend, a, strong, em, small, ul, ol, li';
/** The elements whose light DOM holds a form. */
const FORM_HOSTS = 'portal-login, portal-signup, portal-set-password, portal-email-step';
/** Three ids' weight: `:not(#\\#)` matches every element and counts as an id. */
const HEAVY = ':not(#\\#):not(#\\#):not(#\\#)';

/** Layered rules, and the guard that rolls unlayered page rules back to them. */
export function isolated(rules: string): string {
  const scope = `:is(${FORM_HOSTS})${HEAVY} :is(${FORM_TAGS})`;
  return `@layer portal.defaults {\n${rules}\n}\n${scope}, ${scope}::before, ${scope}::after { all: revert-layer; }`;
}

const FORM_CSS = isolated(FORM_RULES);

const sheets = new Map<string, CSSStyleSheet | null>();
const adopted = new WeakMap<Document | ShadowRoot, Set<string>>();
/** Every root that holds a form, to give it the styles a lazily loaded step brings later. */
const roots = new Set<WeakRef<Document | ShadowRoot>>();
/** The form's rules, then what lazily loaded steps added ({@link addFormStyles}). */
const registered: string[] = [FORM_CSS];

/**
 * `cssText` as this browser can read it: where `light-dark()` is unknown, each `light-dark(a, b)`
 * becomes `a`, the light default (a page's own `--portal-*` values still win through `var()`).
 */
function forThisBrowser(cssText: string): string {
  return CSS.supports('color', 'light-dark(#000,#fff)') ? cssText : cssText.replace(/light-dark\(([^,]+),[^)]*\)/g, '$1');
}

/** The constructed sheet of `cssText` (one per page, shared by every root that adopts it). */
function sheetOf(cssText: string): CSSStyleSheet | null {
  let sheet = sheets.get(cssText);
  if (sheet === undefined) {
    try {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(forThisBrowser(cssText));
    } catch {
      // Very old browsers: the controls keep the page's own styles.
      sheet = null;
    }
    sheets.set(cssText, sheet);
  }
  return sheet;
}

function adoptInto(root: Document | ShadowRoot, cssText: string): void {
  let done = adopted.get(root);
  if (!done) adopted.set(root, (done = new Set()));
  if (done.has(cssText)) return;
  const sheet = sheetOf(cssText);
  if (!sheet) return;
  done.add(cssText);
  try {
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } catch {
    // A root that cannot adopt sheets: the controls keep its own styles.
  }
}

/**
 * Adopts the light-DOM form styles into the root `el` lives in (its document, or the shadow root of the
 * component holding it), once per root; later {@link addFormStyles} calls reach that root too.
 */
export function adoptFormStyles(el?: Node): void {
  if (typeof document === 'undefined' || typeof CSSStyleSheet === 'undefined') return;
  const node = el?.getRootNode();
  const root: Document | ShadowRoot = node instanceof ShadowRoot ? node : document;
  if (!adopted.has(root)) roots.add(new WeakRef(root));
  for (const cssText of registered) adoptInto(root, cssText);
}

/** Adds layered light-DOM rules (a lazily loaded step's) to every root with forms, now and later. */
export function addFormStyles(rules: string): void {
  const cssText = `@layer portal.defaults {\n${rules}\n}`;
  if (registered.includes(cssText)) return;
  registered.push(cssText);
  if (typeof document === 'undefined' || typeof CSSStyleSheet === 'undefined') return;
  adoptInto(document, cssText);
  for (const ref of roots) {
    const root = ref.deref();
    if (root) adoptInto(root, cssText);
    else roots.delete(ref);
  }
}
