import PortalProvider from './provider.component.js';

export { PortalProvider };
export default PortalProvider;
export { attachContextRoot } from '../../internal/portal-element.js';

PortalProvider.define('portal-provider');

declare global {
  interface HTMLElementTagNameMap {
    'portal-provider': PortalProvider;
  }
}
