import { css } from 'lit';

/**
 * Shared host styles of every portal element (STYLE §4.18). Theme tokens are
 * `--portal-<category>-<name>`; element hooks `--portal-<element>-<prop>` fall back to them. Every
 * public token is listed, with its light and dark defaults, in docs/theming.md.
 */
export default css`
  :host {
    display: block;
    box-sizing: border-box;
    color: var(--portal-color-text, inherit);
    font-family: var(--portal-font-family, inherit);
  }
  :host([hidden]) {
    display: none !important;
  }
  [part='base'] {
    box-sizing: border-box;
    max-width: var(--portal-size-card, 28rem);
    padding: var(--portal-space-l, 1.25rem);
    border: 1px solid var(--portal-color-card-border, color-mix(in srgb, currentColor 18%, transparent));
    border-radius: var(--portal-radius-l, 0.75rem);
    /* No color-scheme of its own: it inherits the page's, so Canvas (and every light-dark() default)
       is light on a light-only page and dark only where the page opts into dark. */
    background: var(--portal-color-surface, Canvas);
    /* The card paints its own background, so it pairs its own text colour with it. */
    color: var(--portal-color-text, CanvasText);
  }
  :host([without-card]) [part='base'] {
    border: 0;
    padding: 0;
    background: none;
    color: inherit;
  }
  @media (max-width: 30rem) {
    [part='base'] {
      padding: var(--portal-space-m, 1rem);
    }
  }
`;
