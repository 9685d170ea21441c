import { addFormStyles } from './document.js';
import { token } from './tokens.js';

/**
 * What only the lazily loaded steps draw (headings, sign-up's account-type fieldset, radios and name row):
 * added to the form styles when those steps load, in the same layer and behind the same guard.
 */
const STEP_RULES = /* css */ `
.portal-form h2 { margin: 0; font-size: ${token('font-size-heading')}; line-height: 1.3; }
.portal-row { display: grid; gap: ${token('space-m')}; grid-template-columns: repeat(auto-fit, minmax(min(100%, 11rem), 1fr)); }
.portal-form legend { font-weight: 600; font-size: 0.95em; }
.portal-form fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; }
.portal-form fieldset legend { width: 100%; margin-bottom: 0.25rem; padding: 0; }
.portal-form input[type=radio] { width: 1.15rem; height: 1.15rem; margin: 0; accent-color: ${token('color-primary')}; }`;

/** Adds the steps' light-DOM styles to every root with forms, once. */
export function adoptStepStyles(): void {
  addFormStyles(STEP_RULES);
}
