import { ContextRoot } from '@lit/context';
import PortalProvider from './provider.component.js';

export { PortalProvider };
export default PortalProvider;

// Lets consumers that upgrade before their provider still find it (lit.dev#1185).
const root = globalThis as { __portalContextRoot?: ContextRoot };
if (typeof document !== 'undefined' && !root.__portalContextRoot) {
  root.__portalContextRoot = new ContextRoot();
  root.__portalContextRoot.attach(document.documentElement);
}

PortalProvider.define('portal-provider');

declare global {
  interface HTMLElementTagNameMap {
    'portal-provider': PortalProvider;
  }
}
