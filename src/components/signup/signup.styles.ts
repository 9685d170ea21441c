import { css, unsafeCSS } from 'lit';
import { token } from '../../styles/tokens.js';

/** The element hook `--portal-signup-gap` sets the space between fields (inherited by the light-DOM form). */
export default css`
  :host {
    --portal-form-gap: var(--portal-signup-gap, ${unsafeCSS(token('space-m'))});
  }
`;
