import { css } from 'lit';

export default css`
  :host {
    display: block;
  }

  :host([hidden]) {
    display: none;
  }

  [part='status'] {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: var(--portal-autofill-status-gap, 0.25em);
    margin-block: var(--portal-autofill-status-margin, 0.5em 0);
    font-size: var(--portal-autofill-status-font-size, 0.875em);
    color: var(--portal-autofill-status-color, var(--portal-color-text-quiet, #4a4a4a));
  }

  [part='status']:empty {
    display: none;
  }

  [part='not-you'] {
    all: unset;
    cursor: pointer;
    color: var(--portal-autofill-link-color, var(--portal-color-link, #0b57d0));
    text-decoration: underline;
  }

  [part='not-you']:focus-visible {
    outline: 2px solid var(--portal-color-focus, currentColor);
    outline-offset: 2px;
    border-radius: 2px;
  }
`;
