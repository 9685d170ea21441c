import PortalLogin from './login.component.js';

export { PortalLogin };
export default PortalLogin;

PortalLogin.define('portal-login');

declare global {
  interface HTMLElementTagNameMap {
    'portal-login': PortalLogin;
  }
}
