import { adoptFormStyles } from './document.js';

/**
 * What only the lazily loaded steps draw (headings, sign-up's account-type fieldset, radios and name row):
 * adopted by those steps when they load, in the same layer.
 */
const STEP_CSS = `@layer portal {
.portal-form h2 { margin: 0; font-size: var(--portal-font-size-heading, 1.25rem); line-height: 1.3; }
.portal-row { display: grid; gap: var(--portal-space-m, 0.875rem); grid-template-columns: repeat(auto-fit, minmax(min(100%, 11rem), 1fr)); }
.portal-form legend { font-weight: 600; font-size: 0.95em; }
.portal-form fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; }
.portal-form fieldset legend { width: 100%; margin-bottom: 0.25rem; padding: 0; }
.portal-form input[type=radio] { width: 1.15rem; height: 1.15rem; margin: 0; accent-color: var(--portal-color-primary, light-dark(#1f5fbf, #6ea8fe)); }
@supports not (color: light-dark(#000, #fff)) {
  .portal-form input[type=radio] { accent-color: var(--portal-color-primary, #1f5fbf); }
}
}`;

/** Adopts the steps' light-DOM styles into the document, once. */
export function adoptStepStyles(): void {
  adoptFormStyles(STEP_CSS);
}
