import type { FillableControl, PortalField } from '../components/purchaser-autofill/field-map.js';

/** One planned value; change `value` to put something else in, or set it to `''` to leave the field alone. */
export interface AutofillPlanEntry {
  /** What the control was recognised as. */
  readonly field: PortalField;
  /** The control's `name` (its `id` when it has no name, or shares its name with another control). */
  readonly name: string;
  /** The host page's own control. */
  readonly control: FillableControl;
  /** The value the element is about to set (for a `<select>`, the matching option's value). */
  value: string;
}

export interface PortalAutofillRequestDetail {
  /** Planned values, in document order. Mutable. */
  readonly fields: AutofillPlanEntry[];
}

/**
 * Dispatched by `<purchaser-autofill>` before it fills anything. Cancelable: `preventDefault()`
 * leaves every field alone; changing an entry's `value` changes what goes in.
 */
export class PortalAutofillRequestEvent extends Event {
  readonly detail: PortalAutofillRequestDetail;

  constructor(detail: PortalAutofillRequestDetail) {
    super('portal-autofill-request', { bubbles: true, composed: true, cancelable: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'portal-autofill-request': PortalAutofillRequestEvent;
  }
}
