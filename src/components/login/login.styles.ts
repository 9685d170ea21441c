import { css, unsafeCSS } from 'lit';
import { token } from '../../styles/tokens.js';

/** The element hook `--portal-login-gap` sets the space between fields (inherited by the light-DOM form). */
export default css`
  :host {
    --portal-form-gap: var(--portal-login-gap, ${unsafeCSS(token('space-m'))});
  }
`;
