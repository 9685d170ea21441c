import { PortalAutofillEvent, type AutofillSkipReason, type PortalAutofillDetail } from '../../events/autofill.js';
import { PortalAutofillRequestEvent, type AutofillPlanEntry } from '../../events/autofill-request.js';
import {
  classifyControl,
  planValues,
  type Classification,
  type FillableControl,
  type PortalField,
  type ProfileValues,
} from './field-map.js';

import { FILLED_ATTRIBUTE } from './filled-attribute.js';

export { FILLED_ATTRIBUTE } from './filled-attribute.js';
export { profileValues } from './field-map.js';

interface FilledRecord {
  /** What the element set. */
  readonly value: string;
  /** What the control held before, restored on sign-out. */
  readonly previous: string;
}

/** Where to look for controls: the elements to scan, and the node to watch for late-rendered forms. */
export interface FillTargets {
  readonly containers: readonly Element[];
  readonly watch: Node;
}

const CONTROL_SELECTOR = 'input, select, textarea';

function isControl(node: unknown): node is FillableControl {
  return node instanceof HTMLInputElement || node instanceof HTMLSelectElement || node instanceof HTMLTextAreaElement;
}

/** Sets a value the way a framework notices: the prototype's native setter, then `input` and `change`. */
export function setNativeValue(control: FillableControl, value: string): void {
  const proto =
    control instanceof HTMLSelectElement
      ? HTMLSelectElement.prototype
      : control instanceof HTMLTextAreaElement
        ? HTMLTextAreaElement.prototype
        : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(control, value);
  control.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  control.dispatchEvent(new Event('change', { bubbles: true }));
}

/** A select counts as empty while it shows its page-default choice or an empty value. */
function isEmpty(control: FillableControl): boolean {
  if (control instanceof HTMLSelectElement) {
    if (control.value === '') return true;
    const options = Array.from(control.options);
    const hasDefault = options.some((o) => o.defaultSelected);
    return hasDefault ? options.every((o) => o.selected === o.defaultSelected) : control.selectedIndex === 0;
  }
  return control.value.trim() === '';
}

/**
 * Finds, fills and later clears the purchaser fields of a host page's form(s) for
 * `<purchaser-autofill>`: one pass over controls not seen before, a cancelable request event, then
 * the report event; a MutationObserver picks up forms rendered later. Owns no DOM of its own.
 */
export class FormFiller {
  private readonly filled = new Map<FillableControl, FilledRecord>();
  private processed = new WeakSet<FillableControl>();
  private values?: ProfileValues;
  private observer?: MutationObserver;
  private listeningOn?: Node;

  constructor(
    private readonly host: HTMLElement,
    private readonly targets: () => FillTargets,
    private readonly onChange: () => void,
    /** Controls the person has typed in; the element starts collecting them before this loads. */
    private readonly touched: WeakSet<Element> = new WeakSet(),
  ) {}

  /** How many fields currently hold a value this element set. */
  get filledCount(): number {
    return this.filled.size;
  }

  /** The first field (in document order) holding a value this element set. */
  firstFilled(): FillableControl | undefined {
    return [...this.filled.keys()].sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1))[0];
  }

  /** Whether there is anything to look in (a `for=` target may not exist yet). */
  hasTargets(): boolean {
    return this.targets().containers.length > 0;
  }

  /** Starts noticing what the person types (call on connect). */
  connect(): void {
    const root = this.host.getRootNode();
    if (this.listeningOn === root) return;
    this.disconnect();
    this.listeningOn = root;
    root.addEventListener('input', this.handleUserInput, true);
    root.addEventListener('change', this.handleUserInput, true);
    root.addEventListener('reset', this.handleReset, true);
    if (this.values) this.observe();
  }

  /** Stops listening and observing (call on disconnect). Leaves the form as it is. */
  disconnect(): void {
    this.listeningOn?.removeEventListener('input', this.handleUserInput, true);
    this.listeningOn?.removeEventListener('change', this.handleUserInput, true);
    this.listeningOn?.removeEventListener('reset', this.handleReset, true);
    this.listeningOn = undefined;
    this.observer?.disconnect();
    this.observer = undefined;
  }

  /** Fills every recognised empty field with `values`, now and in forms that appear later. */
  start(values: ProfileValues): void {
    this.values = values;
    this.fillNew();
    if (this.listeningOn) this.observe();
  }

  /** Looks again for controls not seen yet (e.g. after the target changed). */
  refresh(): void {
    if (this.values) {
      this.observe();
      this.fillNew();
    }
  }

  /** Stops filling and clears the fields that still hold exactly what this element set. */
  stop(): void {
    this.values = undefined;
    this.observer?.disconnect();
    this.observer = undefined;
    for (const [control, record] of this.filled) {
      if (control.isConnected && !this.touched.has(control) && control.value === record.value) {
        setNativeValue(control, record.previous);
      }
      control.removeAttribute(FILLED_ATTRIBUTE);
    }
    this.filled.clear();
    this.processed = new WeakSet();
    this.onChange();
  }

  private observe(): void {
    this.observer?.disconnect();
    this.observer = new MutationObserver(() => this.fillNew());
    this.observer.observe(this.targets().watch, { childList: true, subtree: true });
  }

  private readonly handleUserInput = (event: Event): void => {
    if (!event.isTrusted) return;
    const target = event.composedPath()[0];
    if (!isControl(target)) return;
    this.touched.add(target);
    if (this.filled.has(target)) {
      target.removeAttribute(FILLED_ATTRIBUTE);
      this.filled.delete(target);
      this.onChange();
    }
  };

  /** A form reset puts the page's defaults back: those fields no longer hold what this element set. */
  private readonly handleReset = (event: Event): void => {
    const form = event.composedPath()[0];
    if (!(form instanceof HTMLFormElement)) return;
    let changed = false;
    for (const control of [...this.filled.keys()]) {
      if (control.form === form) {
        control.removeAttribute(FILLED_ATTRIBUTE);
        this.filled.delete(control);
        changed = true;
      }
    }
    if (changed) this.onChange();
  };

  private collect(): FillableControl[] {
    const seen = new Set<FillableControl>();
    for (const container of this.targets().containers) {
      if (isControl(container)) seen.add(container);
      for (const el of Array.from(container.querySelectorAll(CONTROL_SELECTOR))) if (isControl(el)) seen.add(el);
      if (container instanceof HTMLFormElement) {
        for (const el of Array.from(container.elements)) if (isControl(el)) seen.add(el);
      }
    }
    return [...seen];
  }

  /** One pass over controls not seen since sign-in. */
  private fillNew(): void {
    const values = this.values;
    if (!values) return;
    // Controls a framework has thrown away are forgotten, not cleared.
    for (const control of [...this.filled.keys()]) if (!control.isConnected) this.filled.delete(control);
    const all = this.collect();
    // Fast path for the many mutations (re-renders, messages) that add no control.
    if (all.every((control) => this.processed.has(control))) return;
    const classified = all.map((control) => ({ control, classification: classifyControl(control) }));
    const sectionsWithLine2 = new Set(
      classified.flatMap(({ classification: c }) => (c.kind === 'field' && c.field === 'line2' ? [c.section] : [])),
    );
    const fresh = classified.filter(
      (item): item is { control: FillableControl; classification: Extract<Classification, { kind: 'field' }> } => {
        if (this.processed.has(item.control)) return false;
        this.processed.add(item.control);
        return item.classification.kind === 'field';
      },
    );
    if (fresh.length === 0) return;

    const skipped: Array<{ field: PortalField; name: string; reason: AutofillSkipReason }> = [];
    const planned: AutofillPlanEntry[] = [];
    for (const item of planValues(fresh, values, sectionsWithLine2)) {
      const { control, field } = item;
      const name = control.getAttribute('name') || control.id;
      const reason: AutofillSkipReason | undefined = control.disabled
        ? 'disabled'
        : 'readOnly' in control && control.readOnly
          ? 'readonly'
          : this.touched.has(control)
            ? 'user-edited'
            : !isEmpty(control)
              ? 'not-empty'
              : item.value !== ''
                ? undefined
                : control instanceof HTMLSelectElement && values[field]
                  ? 'no-option'
                  : 'no-value';
      if (reason) skipped.push({ field, name, reason });
      else planned.push({ field, name, control, value: item.value });
    }

    const filled: Array<{ field: PortalField; name: string }> = [];
    if (planned.length > 0) {
      const request = new PortalAutofillRequestEvent({ fields: planned });
      this.host.dispatchEvent(request);
      if (request.defaultPrevented) return;
      for (const entry of request.detail.fields) {
        const { control, field, name } = entry;
        const value = String(entry.value ?? '');
        if (!value || !control.isConnected || this.touched.has(control) || !isEmpty(control)) {
          skipped.push({ field, name, reason: value ? 'not-empty' : 'vetoed' });
          continue;
        }
        const previous = control.value;
        setNativeValue(control, value);
        if (control.value === previous) {
          skipped.push({ field, name, reason: control instanceof HTMLSelectElement ? 'no-option' : 'not-accepted' });
          continue;
        }
        control.setAttribute(FILLED_ATTRIBUTE, '');
        this.filled.set(control, { value: control.value, previous });
        filled.push({ field, name });
      }
    }
    const detail: PortalAutofillDetail = { filled, skipped };
    this.host.dispatchEvent(new PortalAutofillEvent(detail));
    this.onChange();
  }
}
