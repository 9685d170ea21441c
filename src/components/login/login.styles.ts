import { css } from 'lit';

/** The element hook `--portal-login-gap` sets the space between fields (inherited by the light-DOM form). */
export default css`
  :host {
    --portal-form-gap: var(--portal-login-gap, var(--portal-space-m, 0.875rem));
  }
`;
