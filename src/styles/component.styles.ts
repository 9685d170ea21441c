import { css, unsafeCSS } from 'lit';
import { inheritedToken, token } from './tokens.js';

const t = (name: Parameters<typeof token>[0]) => unsafeCSS(token(name));

/**
 * Shared host styles of every portal element (STYLE §4.18). Theme tokens are
 * `--portal-<category>-<name>`, declared once with their defaults in tokens.ts; element hooks
 * `--portal-<element>-<prop>` fall back to them. Every public token is listed in docs/theming.md.
 */
export default css`
  :host {
    display: block;
    box-sizing: border-box;
    /* Unset, these inherit the page's. */
    color: ${unsafeCSS(`var(--portal-color-text)`)};
    font-family: ${unsafeCSS(inheritedToken('font-family'))};
  }
  :host([hidden]) {
    display: none !important;
  }
  [part='base'] {
    box-sizing: border-box;
    max-width: ${t('size-card')};
    padding: ${t('space-l')};
    border: 1px solid ${t('color-card-border')};
    border-radius: ${t('radius-l')};
    /* No color-scheme of its own: it inherits the page's, so Canvas (and every light-dark() default)
       is light on a light-only page and dark only where the page opts into dark. */
    background: ${t('color-surface')};
    /* The card paints its own background, so it pairs its own text colour with it. */
    color: ${t('color-text')};
  }
  :host([without-card]) [part='base'] {
    border: 0;
    padding: 0;
    background: none;
    color: inherit;
  }
  @media (max-width: 30rem) {
    [part='base'] {
      padding: ${t('space-m')};
    }
  }
`;
