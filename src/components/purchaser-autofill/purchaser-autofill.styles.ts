import { css } from 'lit';

/** The element's own box: in the first load. */
export default css`
  :host {
    display: block;
  }

  :host([hidden]) {
    display: none;
  }
`;
