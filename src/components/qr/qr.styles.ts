import { css } from 'lit';

export default css`
  :host {
    display: inline-block;
    width: var(--portal-qr-size, 12rem);
  }
  :host([hidden]) {
    display: none !important;
  }
  svg {
    display: block;
    width: 100%;
    height: auto;
  }
  .light {
    fill: var(--portal-qr-light, #fff);
  }
  .dark {
    fill: var(--portal-qr-dark, #000);
  }
`;
