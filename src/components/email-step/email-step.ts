import PortalEmailStep from './email-step.component.js';

export { PortalEmailStep };
export default PortalEmailStep;

PortalEmailStep.define('portal-email-step');

declare global {
  interface HTMLElementTagNameMap {
    'portal-email-step': PortalEmailStep;
  }
}
