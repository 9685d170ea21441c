import { css } from 'lit';

/** Defaults use light-dark(): they follow the page's `color-scheme` (docs/theming.md). */

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
    gap: var(--portal-autofill-status-gap, var(--portal-space-xs, 0.25em));
    margin-block: var(--portal-autofill-status-margin, 0.5em 0);
    font-size: var(--portal-autofill-status-font-size, 0.875em);
    color: var(--portal-autofill-status-color, var(--portal-color-text-quiet, light-dark(#4a4a4a, #b3b9c2)));
  }

  [part='status']:empty {
    display: none;
  }

  /* Looks like a link, but keeps a target of at least 24 × 24 CSS px (WCAG 2.5.8). */
  [part='not-you'] {
    appearance: none;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    box-sizing: border-box;
    min-width: 24px;
    min-height: 24px;
    margin: 0;
    padding: 0 0.125em;
    border: 0;
    border-radius: 2px;
    background: none;
    font: inherit;
    line-height: inherit;
    cursor: pointer;
    color: var(--portal-autofill-link-color, var(--portal-color-primary, light-dark(#0b57d0, #8ab4f8)));
    text-decoration: underline;
  }

  [part='not-you']:focus-visible {
    outline: 2px solid var(--portal-color-focus, currentColor);
    outline-offset: 2px;
  }

  /* Browsers without light-dark() (before Chrome 123, Firefox 120, Safari 17.5): the light defaults. */
  @supports not (color: light-dark(#000, #fff)) {
    [part='status'] {
      color: var(--portal-autofill-status-color, var(--portal-color-text-quiet, #4a4a4a));
    }
    [part='not-you'] {
      color: var(--portal-autofill-link-color, var(--portal-color-primary, #0b57d0));
    }
  }
`;
