import type { Profile } from '../api/contract.js';

/** Detail of {@link PortalSignedOutEvent}. */
export interface PortalSignedOutDetail {
  /** Who was signed in. */
  readonly profile?: Profile;
}

/** The person signed out through this element. Bubbles and crosses shadow roots. */
export class PortalSignedOutEvent extends Event {
  readonly detail: PortalSignedOutDetail;
  constructor(detail: PortalSignedOutDetail) {
    super('portal-signed-out', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'portal-signed-out': PortalSignedOutEvent;
  }
}
