/** Detail of {@link PortalLoginRequestEvent}. The password is never in it. */
export interface PortalLoginRequestDetail {
  readonly email: string;
  /** "Keep me signed in" was ticked. */
  readonly remember: boolean;
}

/**
 * Dispatched by `<portal-login>` after the form validated and before the sign-in request is sent.
 * Cancelable: `preventDefault()` sends nothing and leaves the form as it is (the host explains why).
 * Bubbles and crosses shadow roots.
 */
export class PortalLoginRequestEvent extends Event {
  readonly detail: PortalLoginRequestDetail;
  constructor(detail: PortalLoginRequestDetail) {
    super('portal-login-request', { bubbles: true, composed: true, cancelable: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'portal-login-request': PortalLoginRequestEvent;
  }
}
