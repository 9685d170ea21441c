import type { ConstituentKind } from '../api/contract.js';

/** Detail of {@link PortalSignupRequestedEvent}. */
export interface PortalSignupRequestedDetail {
  readonly email: string;
  readonly kind: ConstituentKind;
}

/** A sign-up was sent; a confirmation email is on its way. Bubbles and crosses shadow roots. */
export class PortalSignupRequestedEvent extends Event {
  readonly detail: PortalSignupRequestedDetail;
  constructor(detail: PortalSignupRequestedDetail) {
    super('portal-signup-requested', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'portal-signup-requested': PortalSignupRequestedEvent;
  }
}
