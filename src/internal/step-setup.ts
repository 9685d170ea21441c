/**
 * What the lazily loaded steps (sign-up, set-password, forgot password, resending the confirmation)
 * bring with them instead of the first load: their English strings and their light-DOM styles.
 */
import { adoptStepStyles } from '../styles/steps.js';
import enSteps from '../translations/en-steps.js';
import { extendTranslation } from './localize.js';

/** Registers the steps' English and adopts their styles. Idempotent; each step module calls it when it loads. */
export function setUpSteps(): void {
  extendTranslation('en', enSteps);
  adoptStepStyles();
}
