import PortalSetPassword from './set-password.component.js';

export { PortalSetPassword };
export default PortalSetPassword;

PortalSetPassword.define('portal-set-password');

declare global {
  interface HTMLElementTagNameMap {
    'portal-set-password': PortalSetPassword;
  }
}
