import type { MatchOutcome, Profile } from '../api/contract.js';

/** Detail of {@link PortalSignedInEvent}. */
export interface PortalSignedInDetail {
  readonly profile: Profile;
  /** How the account met the records, right after a sign-up confirmation. */
  readonly outcome?: MatchOutcome;
  /** How the person signed in. */
  readonly method: 'password' | 'signup' | 'reset';
}

/** The person signed in through this element. Bubbles and crosses shadow roots. */
export class PortalSignedInEvent extends Event {
  readonly detail: PortalSignedInDetail;
  constructor(detail: PortalSignedInDetail) {
    super('portal-signed-in', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'portal-signed-in': PortalSignedInEvent;
  }
}
