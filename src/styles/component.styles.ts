import { css } from 'lit';

/** Shared host styles of every portal element (STYLE §4.18). */
export default css`
  :host {
    display: block;
    box-sizing: border-box;
    color: var(--portal-color, inherit);
    font-family: var(--portal-font-family, inherit);
  }
  :host([hidden]) {
    display: none !important;
  }
  [part='base'] {
    box-sizing: border-box;
    max-width: var(--portal-max-width, 28rem);
    padding: var(--portal-padding, 1.25rem);
    border: var(--portal-card-border, 1px solid color-mix(in srgb, currentColor 18%, transparent));
    border-radius: var(--portal-card-radius, 0.75rem);
    background: var(--portal-background, Canvas);
    color-scheme: light dark;
  }
  :host([without-frame]) [part='base'] {
    border: 0;
    padding: 0;
    background: none;
  }
  @media (max-width: 30rem) {
    [part='base'] {
      padding: var(--portal-padding-narrow, 1rem);
    }
  }
`;
