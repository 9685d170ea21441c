import { css } from 'lit';

/** The element hook `--portal-signup-gap` sets the space between fields (inherited by the light-DOM form). */
export default css`
  :host {
    --portal-form-gap: var(--portal-signup-gap, var(--portal-space-m, 0.875rem));
  }
`;
