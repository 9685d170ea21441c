import PortalQr from './qr.component.js';

export { PortalQr };
export default PortalQr;

PortalQr.define('portal-qr');

declare global {
  interface HTMLElementTagNameMap {
    'portal-qr': PortalQr;
  }
}
