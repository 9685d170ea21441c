import { css } from 'lit';

export default css`
  :host {
    --portal-login-gap: var(--portal-space-m, 0.875rem);
  }
`;
