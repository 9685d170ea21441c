/**
 * Styles for the light-DOM form controls the elements own (STYLE §4.20, §5.23). They live in one
 * constructed stylesheet, wrapped in `@layer portal` so any page CSS wins, adopted into the document
 * once. Constructed stylesheets need no `style-src 'unsafe-inline'` (CSP-friendly). Defaults use
 * `light-dark()`, which follows the `color-scheme` the page gives the element (not the visitor's
 * preference alone): a light-only page keeps the light defaults, a `color-scheme: light dark` page gets
 * the dark ones when the visitor prefers dark.
 */
const FORM_CSS = `@layer portal {
.portal-form { display: grid; gap: var(--portal-form-gap, var(--portal-space-m, 0.875rem)); margin: 0; font: inherit; color: inherit; }
.portal-form p { margin: 0; }
.portal-field { display: grid; gap: var(--portal-space-xs, 0.3rem); min-width: 0; }
.portal-form label { font-weight: 600; font-size: 0.95em; }
.portal-check { display: flex; align-items: center; gap: 0.5rem; }
.portal-check label { font-weight: 400; }
.portal-form input:not([type=checkbox]):not([type=radio]) {
  box-sizing: border-box; width: 100%; min-height: 2.75rem; padding: 0.5rem 0.75rem; font: inherit; color: var(--portal-color-field-text, inherit);
  background: var(--portal-color-field, Field); border: 1px solid var(--portal-color-border, light-dark(#8a8f98, #7d8590)); border-radius: var(--portal-radius-m, 0.375rem);
}
.portal-form input[type=checkbox] { width: 1.15rem; height: 1.15rem; margin: 0; accent-color: var(--portal-color-primary, light-dark(#1f5fbf, #6ea8fe)); }
.portal-form :focus-visible { outline: 3px solid var(--portal-color-focus, #4d90fe); outline-offset: 2px; }
.portal-form input[aria-invalid=true] { border-color: var(--portal-color-danger, light-dark(#b3261e, #ffb4ab)); }
/* :where() keeps this base rule at the weight of one class, so .portal-primary and .portal-link override it. */
.portal-form :where(button) { font: inherit; cursor: pointer; border-radius: var(--portal-radius-m, 0.375rem); min-height: 2.75rem; padding: 0.5rem 1rem; }
.portal-form :where(button[disabled]) { cursor: not-allowed; opacity: 0.6; }
.portal-primary { background: var(--portal-color-primary, light-dark(#1f5fbf, #6ea8fe)); color: var(--portal-color-primary-contrast, light-dark(#fff, #0b1320)); border: 1px solid transparent; font-weight: 600; }
.portal-link { background: none; border: 0; padding: 0.25rem 0; min-height: 0; color: var(--portal-color-primary, light-dark(#1f5fbf, #8ab4f8)); text-decoration: underline; justify-self: start; }
.portal-form .portal-link { min-height: 2rem; }
.portal-hint { font-size: 0.875em; color: var(--portal-color-text-quiet, light-dark(#555b63, #b3b9c2)); }
.portal-field-error { font-size: 0.875em; color: var(--portal-color-danger, light-dark(#b3261e, #ffb4ab)); }
.portal-alert:empty, .portal-status:empty { display: none; }
.portal-alert { padding: 0.625rem 0.75rem; border-radius: var(--portal-radius-m, 0.375rem); background: var(--portal-color-danger-surface, light-dark(#fdecea, #3b1512)); color: var(--portal-color-danger-text, light-dark(#7a1610, #ffdad6)); display: grid; gap: 0.5rem; }
.portal-status { padding: 0.625rem 0.75rem; border-radius: var(--portal-radius-m, 0.375rem); background: var(--portal-color-success-surface, light-dark(#e8f4ea, #13301a)); color: var(--portal-color-success-text, light-dark(#1d5a2a, #b7e4c0)); }
.portal-actions { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; }
/* Browsers without light-dark() (before Chrome 123, Firefox 120, Safari 17.5): the light defaults. */
@supports not (color: light-dark(#000, #fff)) {
  .portal-form input:not([type=checkbox]):not([type=radio]) { border-color: var(--portal-color-border, #8a8f98); }
  .portal-form input[type=checkbox] { accent-color: var(--portal-color-primary, #1f5fbf); }
  .portal-form input[aria-invalid=true] { border-color: var(--portal-color-danger, #b3261e); }
  .portal-primary { background: var(--portal-color-primary, #1f5fbf); color: var(--portal-color-primary-contrast, #fff); }
  .portal-link { color: var(--portal-color-primary, #1f5fbf); }
  .portal-hint { color: var(--portal-color-text-quiet, #555b63); }
  .portal-field-error { color: var(--portal-color-danger, #b3261e); }
  .portal-alert { background: var(--portal-color-danger-surface, #fdecea); color: var(--portal-color-danger-text, #7a1610); }
  .portal-status { background: var(--portal-color-success-surface, #e8f4ea); color: var(--portal-color-success-text, #1d5a2a); }
}
}`;

const adopted = new Set<string>();

/** Adopts a light-DOM stylesheet (the form's by default) into the document, once. */
export function adoptFormStyles(cssText = FORM_CSS): void {
  if (adopted.has(cssText) || typeof document === 'undefined' || typeof CSSStyleSheet === 'undefined') return;
  adopted.add(cssText);
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(cssText);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  } catch {
    // Very old browsers: the controls keep the page's own styles.
  }
}
