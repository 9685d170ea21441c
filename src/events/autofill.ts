import type { PortalField } from '../components/purchaser-autofill/field-map.js';

/** Why a recognised field was left alone. */
export type AutofillSkipReason =
  | 'not-empty'
  | 'user-edited'
  | 'disabled'
  | 'readonly'
  | 'no-value'
  /** A `<select>` has no option for the value. */
  | 'no-option'
  /** The control refused the value (a postal code with letters in an `<input type="number">`). */
  | 'not-accepted'
  | 'vetoed'
  /** Nobody can see or reach it (hidden, off-screen, zero-size, clipped, `aria-hidden`, `inert`, a `tabindex=-1` decoy); filled if it shows later. */
  | 'not-visible'
  /** A spam trap (honeypot), by its name or its own words ("leave this field blank"): never filled. */
  | 'trap'
  /** Its context gives it to someone else (honoree, guest, second attendee, another `section-*`). */
  | 'other-person'
  /** Shipping to a different address: the shipping block is the recipient's. */
  | 'recipient'
  /** A second plain field of the same kind in one block: someone else's. */
  | 'repeated';

/** Fields are named by their `name` (their `id` when they have none, or share it with another control). */
export interface PortalAutofillDetail {
  /** Fields that received a value from the portal account. */
  readonly filled: ReadonlyArray<{ readonly field: PortalField; readonly name: string }>;
  /** Recognised fields that were left alone, and why. */
  readonly skipped: ReadonlyArray<{ readonly field: PortalField; readonly name: string; readonly reason: AutofillSkipReason }>;
}

/** Dispatched by `<purchaser-autofill>` after it filled (or skipped) the fields of a form. */
export class PortalAutofillEvent extends Event {
  readonly detail: PortalAutofillDetail;

  constructor(detail: PortalAutofillDetail) {
    super('portal-autofill', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'portal-autofill': PortalAutofillEvent;
  }
}
