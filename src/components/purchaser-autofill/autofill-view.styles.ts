import { css, unsafeCSS } from 'lit';
import { lightToken, token, type TokenName } from '../../styles/tokens.js';

/** Theme tokens with their one set of defaults (src/styles/tokens.ts). */
const t = (name: TokenName) => unsafeCSS(token(name));
const light = (name: TokenName) => unsafeCSS(lightToken(name));

/** Defaults use light-dark(): they follow the page's `color-scheme` (docs/theming.md). */

/** The status line, the "Filling as" chooser and "Not you?": adopted with the view (autofill-view.ts) once someone is signed in. */
export default css`
  [part='status'] {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: var(--portal-autofill-status-gap, ${t('space-xs')});
    margin-block: var(--portal-autofill-status-margin, 0.5em 0);
    font-size: var(--portal-autofill-status-font-size, 0.875em);
    color: var(--portal-autofill-status-color, ${t('color-text-quiet')});
  }

  [part='status']:empty {
    display: none;
  }

  /* "Filling as: [Jane Doe | Harbor Lights Design]", for an account that manages a company. */
  [part='filling-as'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
    margin-block: 0.5em 0;
    font-size: var(--portal-autofill-status-font-size, 0.875em);
  }

  [part='filling-as'] select {
    font: inherit;
    min-height: 24px;
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
    color: var(--portal-autofill-link-color, ${t('color-primary')});
    text-decoration: underline;
  }

  [part='not-you']:focus-visible {
    outline: 2px solid ${t('color-focus')};
    outline-offset: 2px;
  }

  /* Browsers without light-dark() (before Chrome 123, Firefox 120, Safari 17.5): the light defaults. */
  @supports not (color: light-dark(#000, #fff)) {
    [part='status'] {
      color: var(--portal-autofill-status-color, ${light('color-text-quiet')});
    }
    [part='not-you'] {
      color: var(--portal-autofill-link-color, ${light('color-primary')});
    }
  }
`;
