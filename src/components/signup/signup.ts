import PortalSignup from './signup.component.js';

export { PortalSignup };
export default PortalSignup;

PortalSignup.define('portal-signup');

declare global {
  interface HTMLElementTagNameMap {
    'portal-signup': PortalSignup;
  }
}
