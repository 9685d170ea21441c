import { css } from 'lit';

/** Internal step: inherits the form gap of the `<portal-login>` or `<portal-signup>` around it. */
export default css``;
