/**
 * Styles for the light-DOM form controls the elements own (STYLE §4.20, §5.23). They live in one
 * constructed stylesheet, wrapped in `@layer portal` so any page CSS wins, adopted into the document
 * once. Constructed stylesheets need no `style-src 'unsafe-inline'` (CSP-friendly).
 */
const FORM_CSS = `@layer portal {
.portal-form { display: grid; gap: var(--portal-form-gap, var(--portal-space-m, 0.875rem)); margin: 0; font: inherit; color: inherit; }
.portal-form h2 { margin: 0; font-size: var(--portal-heading-size, 1.25rem); line-height: 1.3; }
.portal-form p { margin: 0; }
.portal-field { display: grid; gap: 0.3rem; min-width: 0; }
.portal-row { display: grid; gap: var(--portal-space-m, 0.875rem); grid-template-columns: repeat(auto-fit, minmax(min(100%, 11rem), 1fr)); }
.portal-form label, .portal-form legend { font-weight: 600; font-size: 0.95em; }
.portal-form fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; }
.portal-form fieldset legend { width: 100%; margin-bottom: 0.25rem; padding: 0; }
.portal-check { display: flex; align-items: center; gap: 0.5rem; }
.portal-check label { font-weight: 400; }
.portal-form input:not([type=checkbox]):not([type=radio]) {
  box-sizing: border-box; width: 100%; min-height: 2.75rem; padding: 0.5rem 0.75rem; font: inherit; color: var(--portal-input-color, inherit);
  background: var(--portal-input-background, Field); border: 1px solid var(--portal-border-color, #8a8f98); border-radius: var(--portal-radius, 0.375rem);
}
.portal-form input[type=checkbox], .portal-form input[type=radio] { width: 1.15rem; height: 1.15rem; margin: 0; accent-color: var(--portal-accent, #1f5fbf); }
.portal-form input:focus-visible, .portal-form button:focus-visible { outline: 3px solid var(--portal-focus-ring, #4d90fe); outline-offset: 2px; }
.portal-form input[aria-invalid=true] { border-color: var(--portal-danger, #b3261e); }
.portal-form button { font: inherit; cursor: pointer; border-radius: var(--portal-radius, 0.375rem); min-height: 2.75rem; padding: 0.5rem 1rem; }
.portal-form button[disabled] { cursor: not-allowed; opacity: 0.6; }
.portal-primary { background: var(--portal-accent, #1f5fbf); color: var(--portal-accent-contrast, #fff); border: 1px solid transparent; font-weight: 600; }
.portal-link { background: none; border: 0; padding: 0.25rem 0; min-height: 0; color: var(--portal-link-color, var(--portal-accent, #1f5fbf)); text-decoration: underline; justify-self: start; }
.portal-form .portal-link { min-height: 2rem; }
.portal-hint { font-size: 0.875em; color: var(--portal-muted-color, #555b63); }
.portal-field-error { font-size: 0.875em; color: var(--portal-danger, #b3261e); }
.portal-alert:empty, .portal-status:empty { display: none; }
.portal-alert { padding: 0.625rem 0.75rem; border-radius: var(--portal-radius, 0.375rem); background: var(--portal-danger-background, #fdecea); color: var(--portal-danger-text, #7a1610); display: grid; gap: 0.5rem; }
.portal-status { padding: 0.625rem 0.75rem; border-radius: var(--portal-radius, 0.375rem); background: var(--portal-success-background, #e8f4ea); color: var(--portal-success-text, #1d5a2a); }
.portal-actions { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; }
.portal-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
@media (prefers-color-scheme: dark) {
  .portal-form input:not([type=checkbox]):not([type=radio]) { border-color: var(--portal-border-color, #7d8590); }
  .portal-primary { background: var(--portal-accent, #6ea8fe); color: var(--portal-accent-contrast, #0b1320); }
  .portal-link { color: var(--portal-link-color, var(--portal-accent, #8ab4f8)); }
  .portal-hint { color: var(--portal-muted-color, #b3b9c2); }
  .portal-field-error { color: var(--portal-danger, #ffb4ab); }
  .portal-alert { background: var(--portal-danger-background, #3b1512); color: var(--portal-danger-text, #ffdad6); }
  .portal-status { background: var(--portal-success-background, #13301a); color: var(--portal-success-text, #b7e4c0); }
}
}`;

let adopted = false;

/** Adopts the light-DOM form stylesheet into the document, once. */
export function adoptFormStyles(): void {
  if (adopted || typeof document === 'undefined' || typeof CSSStyleSheet === 'undefined') return;
  adopted = true;
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(FORM_CSS);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  } catch {
    // Very old browsers: the controls keep the page's own styles.
  }
}
