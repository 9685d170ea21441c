import type { ConstituentKind } from '../api/contract.js';

/** Detail of {@link PortalSignupRequestEvent}. */
export interface PortalSignupRequestDetail {
  readonly kind: ConstituentKind;
  readonly firstName: string;
  readonly lastName: string;
  readonly companyName?: string;
  readonly email: string;
}

/**
 * Dispatched by `<portal-signup>` after the form validated and before the sign-up is sent.
 * Cancelable: `preventDefault()` sends nothing and leaves the form as it is (the host explains why).
 * Bubbles and crosses shadow roots. `portal-signup-requested` follows once the sign-up was sent.
 */
export class PortalSignupRequestEvent extends Event {
  readonly detail: PortalSignupRequestDetail;
  constructor(detail: PortalSignupRequestDetail) {
    super('portal-signup-request', { bubbles: true, composed: true, cancelable: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'portal-signup-request': PortalSignupRequestEvent;
  }
}
